package dev.outbox.relay.event;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * One row INSERTed into the outbox table, as decoded from the WAL: the only input of routing.
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
 * @param createdAt column {@code created_at}
 * @param lsn LSN of the row's INSERT in the WAL (for a snapshot row, the slot's consistent point),
 * for messages and health
 */
public record OutboxRow(String id, String aggregateType, String aggregateId, String eventType, String payload,
		@Nullable String headers, Instant createdAt, long lsn) {

}
