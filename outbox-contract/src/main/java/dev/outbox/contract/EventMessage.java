package dev.outbox.contract;

import java.util.List;

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

}
