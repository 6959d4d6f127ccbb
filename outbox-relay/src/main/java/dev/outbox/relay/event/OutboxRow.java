package dev.outbox.relay.event;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * One event as decoded from the WAL, the only input of routing: a row INSERTed into the outbox
 * table, or an event written as a logical decoding message under the outbox's prefix
 * ({@code message} write mode), read into the row an INSERT of its fields would give, so that
 * routing maps both the same way.
 * <p>
 * The columns are those of the table contract ({@code db/migration/}); values are PostgreSQL's
 * text output: {@code payload} and {@code headers} are JSON documents.
 *
 * @param id the event id (column {@code id})
 * @param aggregateType column {@code aggregate_type}
 * @param aggregateId column {@code aggregate_id}; the Kafka key
 * @param eventType column {@code event_type}
 * @param payload column {@code payload}, JSON text
 * @param headers column {@code headers}, a JSON object or {@code null}
 * @param schemaVersion column {@code schema_version} (optional: migration {@code V3}), the version
 * of the event type's registered schema, from 1; {@code null} when the row has none or the table
 * lacks the column
 * @param createdAt column {@code created_at}; for a message, its transaction's commit time
 * @param lsn LSN of the row's INSERT in the WAL (for a message, the end of its record; for a snapshot
 * row, the slot's consistent point),
 * for messages and health
 */
public record OutboxRow(String id, String aggregateType, String aggregateId, String eventType, String payload,
		@Nullable String headers, @Nullable Integer schemaVersion, Instant createdAt, long lsn) {

	/**
	 * A row without a schema version.
	 * @param id the event id
	 * @param aggregateType column {@code aggregate_type}
	 * @param aggregateId column {@code aggregate_id}
	 * @param eventType column {@code event_type}
	 * @param payload column {@code payload}
	 * @param headers column {@code headers}
	 * @param createdAt column {@code created_at}
	 * @param lsn LSN of the row
	 */
	public OutboxRow(String id, String aggregateType, String aggregateId, String eventType, String payload,
			@Nullable String headers, Instant createdAt, long lsn) {
		this(id, aggregateType, aggregateId, eventType, payload, headers, null, createdAt, lsn);
	}

}
