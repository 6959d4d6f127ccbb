package dev.outbox.failuresuite.lab;

import org.jspecify.annotations.Nullable;

import dev.outbox.starter.write.OutboxWriteMode;

/**
 * Slot 2: the starter's {@code outbox.write-mode}, for {@link Capture#LOG} only, since only it
 * writes through the starter; the other captures have {@link #NONE}.
 */
public enum WriteMode implements Choice {

	/** No starter: the capture writes no events of its own through it. */
	NONE(null),

	/** {@link OutboxWriteMode#TABLE}: INSERT then DELETE of an outbox row (the default). */
	TABLE(OutboxWriteMode.TABLE),

	/** {@link OutboxWriteMode#MESSAGE}: a WAL message, no row. */
	MESSAGE(OutboxWriteMode.MESSAGE),

	/** {@link OutboxWriteMode#RETAIN}: the outbox row is kept. */
	RETAIN(OutboxWriteMode.RETAIN);

	private final @Nullable OutboxWriteMode starterMode;

	WriteMode(@Nullable OutboxWriteMode starterMode) {
		this.starterMode = starterMode;
	}

	/** @return the starter's mode, or {@code null} for {@link #NONE} */
	public @Nullable OutboxWriteMode starterMode() {
		return this.starterMode;
	}

}
