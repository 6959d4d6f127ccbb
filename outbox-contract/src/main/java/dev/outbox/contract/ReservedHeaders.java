package dev.outbox.contract;

import java.util.List;
import java.util.Locale;

/**
 * Kafka header names the relay writes itself on every record, which an event's own headers may
 * therefore not use.
 * <p>
 * Why it matters: Kafka headers are a list, not a map. A user header named {@code id} would be
 * appended as a <em>second</em> {@code id} header; the inbox reads the last one, so every event
 * carrying that header would be taken as a duplicate of the first and skipped. The starter
 * rejects a reserved name when the event is published; the relay refuses a row (written by any
 * other writer) that carries one, instead of emitting it.
 * <p>
 * Names are compared ignoring case, so that {@code ID} or {@code EventType} cannot confuse a
 * consumer that reads headers case-insensitively either.
 */
public final class ReservedHeaders {

	/** Header carrying the event id; consumers (and the inbox) deduplicate on it. */
	public static final String ID = "id";

	/** Header carrying the event type. */
	public static final String EVENT_TYPE = "eventType";

	/** Header carrying the aggregate type. */
	public static final String AGGREGATE_TYPE = "aggregateType";

	/** Every reserved name, in the order the relay writes them. */
	public static final List<String> NAMES = List.of(ID, EVENT_TYPE, AGGREGATE_TYPE);

	private ReservedHeaders() {
	}

	/**
	 * Tells whether an event's own header would collide with one the relay writes.
	 * @param name a header name
	 * @return whether the name is reserved (ignoring case)
	 */
	public static boolean isReserved(String name) {
		String lower = name.toLowerCase(Locale.ROOT);
		for (String reserved : NAMES) {
			if (reserved.toLowerCase(Locale.ROOT).equals(lower)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * The message that explains a collision and its fix, the same on both sides.
	 * @param name the offending header name
	 * @return what is wrong and what to do
	 */
	public static String collisionMessage(String name) {
		return "Header name '" + name + "' is reserved: the relay writes " + NAMES
				+ " on every record itself, and a second header of that name would mislead consumers (the inbox "
				+ "deduplicates on the last 'id' header). Rename the header";
	}

}
