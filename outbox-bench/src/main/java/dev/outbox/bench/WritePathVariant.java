package dev.outbox.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * One variant of (e), the write path: the business transaction with no event, or with 1 or 10
 * events written in one {@link WriteMode}. The JPA application and pgbench run the same
 * variants, in the same interleaved order within each round.
 *
 * @param mode the write mode, {@code null} for the transaction without an event
 * @param events events per transaction, 0 without a mode
 */
public record WritePathVariant(@Nullable WriteMode mode, int events) {

	/** The transaction without an event, every ratio's baseline. */
	public static final WritePathVariant NONE = new WritePathVariant(null, 0);

	/** Event counts measured per mode. */
	public static final int[] EVENT_COUNTS = { 1, 10 };

	public WritePathVariant {
		if ((mode == null) != (events == 0)) {
			throw new IllegalArgumentException("a variant has a mode exactly when it has events: " + mode + ", " + events);
		}
	}

	/** @return every variant in the order of a round: none first, then each mode with 1 and 10 events */
	public static List<WritePathVariant> all() {
		List<WritePathVariant> variants = new ArrayList<>();
		variants.add(NONE);
		for (WriteMode mode : WriteMode.values()) {
			for (int events : EVENT_COUNTS) {
				variants.add(new WritePathVariant(mode, events));
			}
		}
		return variants;
	}

	/** @return {@code none}, or the mode's property value ({@code table}, {@code message}, {@code retain}) */
	public String modeName() {
		return (this.mode != null) ? this.mode.property() : "none";
	}

	/** @return a label: {@code no event}, {@code table, 1 event}, {@code message, 10 events} */
	public String label() {
		return (this.mode == null) ? "no event"
				: String.format(Locale.ROOT, "%s, %d event%s", modeName(), this.events, (this.events > 1) ? "s" : "");
	}

}
