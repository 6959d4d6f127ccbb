package dev.outbox.contract;

import java.util.List;
import java.util.Locale;

/**
 * Kafka header names the relay writes itself, which an event's own headers may therefore not use:
 * {@code id}, {@code eventType}, {@code aggregateType} and {@code content-type} on every record,
 * {@code schemaVersion} on every record whose event carries a schema version, and the CloudEvents
 * attributes {@code ce_*} it maps with {@code outbox.relay.record-format=cloudevents}. The starter
 * does not know the relay's record format, so all of them are reserved in both formats.
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

	/**
	 * Header carrying the version of the event's registered schema, a decimal integer; written only
	 * when the event carries one (column or message field {@code schema_version}).
	 */
	public static final String SCHEMA_VERSION = "schemaVersion";

	/**
	 * Header carrying the media type of the value, {@value #JSON}: the payload is JSON. In
	 * CloudEvents binary content mode it is also the event's {@code datacontenttype}.
	 */
	public static final String CONTENT_TYPE = "content-type";

	/** The value of {@link #CONTENT_TYPE}. */
	public static final String JSON = "application/json";

	/** The plain names, in the order the relay writes them. */
	public static final List<String> PLAIN_NAMES = List.of(ID, EVENT_TYPE, AGGREGATE_TYPE, CONTENT_TYPE,
			SCHEMA_VERSION);

	/**
	 * The CloudEvents attributes the relay maps to headers in binary content mode (prefix
	 * {@code ce_}), in the order it writes them.
	 */
	public static final List<String> CLOUDEVENTS_NAMES = List.of("ce_specversion", "ce_id", "ce_type", "ce_source",
			"ce_subject", "ce_time", "ce_dataschema");

	/** Every reserved name. */
	public static final List<String> NAMES = concat(PLAIN_NAMES, CLOUDEVENTS_NAMES);

	private ReservedHeaders() {
	}

	private static List<String> concat(List<String> first, List<String> second) {
		List<String> all = new java.util.ArrayList<>(first);
		all.addAll(second);
		return List.copyOf(all);
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
		return "Header name '" + name + "' is reserved: the relay writes the headers " + NAMES
				+ " itself, and a second header of that name would mislead consumers (the inbox "
				+ "deduplicates on the last 'id' header). Rename the header";
	}

}
