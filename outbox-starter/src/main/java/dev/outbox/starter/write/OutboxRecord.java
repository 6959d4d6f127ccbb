package dev.outbox.starter.write;

import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * One row of the outbox table, validated and serialized, ready to be written.
 *
 * @param id the event id, a time-ordered UUID (version 7)
 * @param aggregateType the aggregate type, not blank, at most 255 characters
 * @param aggregateId the aggregate id, not blank, at most 255 characters
 * @param eventType the event type, not blank, at most 255 characters
 * @param payload the payload as a JSON document
 * @param headers the headers as a JSON object of string to string, or {@code null} for none
 */
public record OutboxRecord(UUID id, String aggregateType, String aggregateId, String eventType, String payload,
		@Nullable String headers) {
}
