package dev.outbox.contract;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The contract of {@code message} write mode: an event written into the WAL with
 * {@code pg_logical_emit_message(true, prefix, content)} instead of as a row of the outbox table.
 * The one place that names the prefix and the content's fields; the starter writes them, the relay
 * reads them, and docs/write-modes.md shows the SQL a writer in any language runs.
 * <p>
 * <b>Prefix.</b> {@code outbox:} followed by the outbox table's qualified name, for example
 * {@code outbox:public.outbox_event}: the table names the outbox even when no row is written to
 * it, so two outboxes in one database (two tables) never read each other's messages, and a relay
 * needs no setting beyond the table it already has. Messages with any other prefix are not events.
 * <p>
 * <b>Content.</b> One JSON object in UTF-8 with the fields of the table contract:
 * <pre>
 * {"id": "0190…", "aggregate_type": "Order", "aggregate_id": "42", "event_type": "OrderPlaced",
 *  "payload": {…any JSON value…}, "headers": {"name": "value", …}, "schema_version": 2}
 * </pre>
 * {@code id}, {@code aggregate_type}, {@code aggregate_id} and {@code event_type} are required
 * non-empty strings (at most 255 characters, as the table's columns), {@code payload} is a required
 * JSON value, {@code headers} an optional JSON object (or {@code null}) with the same rules as the
 * table's {@code headers} column, {@code schema_version} an optional integer from 1 (or {@code null}),
 * the version of the event type's registered schema, as the table's {@code schema_version} column
 * (migration {@code V3}); the relay passes it on as the Kafka header {@code schemaVersion}
 * without reading any registry. Other fields are refused, so a misspelt field never silently
 * drops data.
 * <p>
 * <b>Transactional only.</b> The message must be emitted with {@code transactional = true}: it is
 * then decoded at its transaction's commit, in commit order with the transaction's rows, and
 * vanishes on rollback. A non-transactional message is decoded at once, whether or not anything
 * commits, so the relay refuses one under the outbox prefix.
 * <p>
 * <b>Timestamp.</b> A message has no {@code created_at}; the record's timestamp is the commit time
 * of its transaction.
 */
public final class EventMessage {

	/** What every outbox prefix begins with. */
	public static final String PREFIX_START = "outbox:";

	/** Field: the event id, the Kafka header {@code id}. */
	public static final String ID = "id";

	/** Field: the aggregate type, from which the topic is named. */
	public static final String AGGREGATE_TYPE = "aggregate_type";

	/** Field: the aggregate id, the Kafka key. */
	public static final String AGGREGATE_ID = "aggregate_id";

	/** Field: the event type. */
	public static final String EVENT_TYPE = "event_type";

	/** Field: the payload, any JSON value; the Kafka record's value. */
	public static final String PAYLOAD = "payload";

	/** Field: optional JSON object of extra Kafka headers. */
	public static final String HEADERS = "headers";

	/**
	 * Field: optional integer from 1, the version of the event type's registered schema; the Kafka
	 * header {@code schemaVersion}.
	 */
	public static final String SCHEMA_VERSION = "schema_version";

	/** Every field, in the order the starter writes them. */
	public static final List<String> FIELDS = List.of(ID, AGGREGATE_TYPE, AGGREGATE_ID, EVENT_TYPE, PAYLOAD, HEADERS,
			SCHEMA_VERSION);

	/** The fields that must be present. */
	public static final List<String> REQUIRED_FIELDS = List.of(ID, AGGREGATE_TYPE, AGGREGATE_ID, EVENT_TYPE, PAYLOAD);

	private static final char[] HEX = "0123456789abcdef".toCharArray();

	private EventMessage() {
	}

	/**
	 * The message prefix of the outbox named by a table.
	 * @param table the outbox table ({@code outbox.table} of the starter, {@code outbox.relay.table}
	 * of the relay)
	 * @return {@code outbox:schema.table}
	 */
	public static String prefixFor(TableName table) {
		return PREFIX_START + table.qualified();
	}

	/**
	 * The content of one event: a JSON object with the fields in {@link #FIELDS} order, strings
	 * escaped as JSON requires, payload and headers embedded as the JSON text they are (not
	 * parsed, not checked: the caller has serialized them), no {@code headers} field without
	 * headers and no {@code schema_version} field without a version. Built by hand rather than
	 * by a JSON library's generator: it runs for every event a service publishes in message mode.
	 * @param id the event id
	 * @param aggregateType the aggregate type
	 * @param aggregateId the aggregate id
	 * @param eventType the event type
	 * @param payload the payload, JSON text
	 * @param headers the headers, JSON object text, or {@code null} for none
	 * @param schemaVersion the registered schema version, or {@code null} for none
	 * @return the JSON object, as text
	 */
	public static String content(String id, String aggregateType, String aggregateId, String eventType,
			String payload, @Nullable String headers, @Nullable Integer schemaVersion) {
		StringBuilder json = new StringBuilder(96 + id.length() + aggregateType.length() + aggregateId.length()
				+ eventType.length() + payload.length() + ((headers != null) ? headers.length() : 0));
		json.append('{');
		appendString(json, ID).append(':');
		appendString(json, id).append(',');
		appendString(json, AGGREGATE_TYPE).append(':');
		appendString(json, aggregateType).append(',');
		appendString(json, AGGREGATE_ID).append(':');
		appendString(json, aggregateId).append(',');
		appendString(json, EVENT_TYPE).append(':');
		appendString(json, eventType).append(',');
		appendString(json, PAYLOAD).append(':').append(payload);
		if (headers != null) {
			json.append(',');
			appendString(json, HEADERS).append(':').append(headers);
		}
		if (schemaVersion != null) {
			json.append(',');
			appendString(json, SCHEMA_VERSION).append(':').append(schemaVersion.intValue());
		}
		return json.append('}').toString();
	}

	/**
	 * The contents of several events as one JSON array, for a statement that emits one message
	 * per element: {@code pg_logical_emit_message(true, prefix, m.content::text) FROM
	 * json_array_elements(?::json) WITH ORDINALITY AS m(content, ord) ORDER BY m.ord}. The
	 * contents are JSON objects already, so they are joined, never escaped again, and
	 * {@code json_array_elements} hands each back with its text unchanged.
	 * @param contents the contents, each a JSON object ({@link #content})
	 * @return the JSON array, as text
	 */
	public static String contentArray(List<String> contents) {
		int length = 2 + contents.size();
		for (String content : contents) {
			length += content.length();
		}
		StringBuilder array = new StringBuilder(length).append('[');
		for (int i = 0; i < contents.size(); i++) {
			array.append((i > 0) ? "," : "").append(contents.get(i));
		}
		return array.append(']').toString();
	}

	private static StringBuilder appendString(StringBuilder json, String value) {
		json.append('"');
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c == '"' || c == '\\') {
				json.append('\\').append(c);
			}
			else if (c < 0x20) {
				json.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
			}
			else {
				json.append(c);
			}
		}
		return json.append('"');
	}

}
