package dev.outbox.test;

import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One event a committed transaction published, as the outbox wrote it: payload and headers are
 * the JSON the relay would publish.
 *
 * @param id the event id
 * @param aggregateType the aggregate type
 * @param aggregateId the aggregate id
 * @param eventType the event type
 * @param payload the payload as JSON
 * @param headers the headers (contributed ones, such as {@code traceparent}, included)
 * @param schemaVersion the registered schema version, or {@code null}
 * @param transaction the number of the committed transaction that published it, from 1, in
 * commit order
 * @param jsonMapper the mapper that reads the payload back into a type
 */
public record CapturedOutboxEvent(UUID id, String aggregateType, String aggregateId, String eventType,
		JsonNode payload, Map<String, String> headers, @Nullable Integer schemaVersion, int transaction,
		JsonMapper jsonMapper) {

	/**
	 * The payload read into a type, with the application's mapper.
	 * @param <T> the type
	 * @param type the type, typically the class the service published
	 * @return the payload as that type
	 */
	public <T> T payloadAs(Class<T> type) {
		return this.jsonMapper.treeToValue(this.payload, type);
	}

	@Override
	public String toString() {
		return this.eventType + " of " + this.aggregateType + " '" + this.aggregateId + "' " + this.payload;
	}

}
