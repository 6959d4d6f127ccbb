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
 * @param schemaVersion the registered version of the event type's schema the payload follows,
 * from 1, or {@code null} when the event type has none (column and message field
 * {@code schema_version})
 */
public record OutboxRecord(UUID id, String aggregateType, String aggregateId, String eventType, String payload,
		@Nullable String headers, @Nullable Integer schemaVersion) {

	/**
	 * An event without a schema version.
	 * @param id the event id, a time-ordered UUID (version 7)
	 * @param aggregateType the aggregate type
	 * @param aggregateId the aggregate id
	 * @param eventType the event type
	 * @param payload the payload as a JSON document
	 * @param headers the headers as a JSON object of string to string, or {@code null} for none
	 */
	public OutboxRecord(UUID id, String aggregateType, String aggregateId, String eventType, String payload,
			@Nullable String headers) {
		this(id, aggregateType, aggregateId, eventType, payload, headers, null);
	}

}
