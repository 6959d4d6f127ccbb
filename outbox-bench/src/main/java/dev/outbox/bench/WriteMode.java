package dev.outbox.bench;

import java.util.Locale;

/**
 * The starter's write modes ({@code outbox.write-mode}) as the benchmark measures
 * them: what one event costs the business transaction in each.
 */
public enum WriteMode {

	/** INSERT and DELETE of an outbox row in the business transaction (the default). */
	TABLE,

	/** No row: a transactional {@code pg_logical_emit_message} under the outbox prefix. */
	MESSAGE,

	/** INSERT of a row that is kept, purged later (the purge does not run while measured). */
	RETAIN;

	/** @return the value of {@code outbox.write-mode}: {@code table}, {@code message}, {@code retain} */
	public String property() {
		return name().toLowerCase(Locale.ROOT);
	}

	/**
	 * Reads a mode from its property value.
	 * @param value {@code table}, {@code message} or {@code retain}
	 * @return the mode
	 */
	public static WriteMode of(String value) {
		for (WriteMode mode : values()) {
			if (mode.property().equals(value)) {
				return mode;
			}
		}
		throw new IllegalArgumentException("no write mode '" + value + "'; use table, message or retain");
	}

}
