package dev.outbox.starter.write;

import java.io.StringWriter;

import tools.jackson.core.JsonGenerator;
import tools.jackson.core.json.JsonFactory;

import dev.outbox.contract.EventMessage;

/**
 * The content of an event written in {@link OutboxWriteMode#MESSAGE}: one JSON object with the
 * fields of {@link EventMessage}, in its order.
 * <p>
 * Payload and headers are already JSON text, serialized and checked by {@link DefaultOutbox},
 * so they are embedded as they are ({@code writeRawValue}), never parsed again; the strings
 * (id, aggregate type and id, event type) are escaped by Jackson's generator. No headers
 * means no {@code headers} field, no schema version no {@code schema_version} field. Thread-safe.
 */
final class EventMessageContent {

	private static final JsonFactory factory = new JsonFactory();

	private EventMessageContent() {
	}

	/**
	 * The content of one event.
	 * @param event the event, validated and serialized
	 * @return the JSON object, as text
	 */
	static String of(OutboxRecord event) {
		String headers = event.headers();
		int estimate = 96 + event.aggregateType().length() + event.aggregateId().length()
				+ event.eventType().length() + event.payload().length() + ((headers != null) ? headers.length() : 0);
		StringWriter out = new StringWriter(estimate);
		try (JsonGenerator generator = factory.createGenerator(out)) {
			generator.writeStartObject();
			generator.writeStringProperty(EventMessage.ID, event.id().toString());
			generator.writeStringProperty(EventMessage.AGGREGATE_TYPE, event.aggregateType());
			generator.writeStringProperty(EventMessage.AGGREGATE_ID, event.aggregateId());
			generator.writeStringProperty(EventMessage.EVENT_TYPE, event.eventType());
			generator.writeName(EventMessage.PAYLOAD);
			generator.writeRawValue(event.payload());
			if (headers != null) {
				generator.writeName(EventMessage.HEADERS);
				generator.writeRawValue(headers);
			}
			Integer schemaVersion = event.schemaVersion();
			if (schemaVersion != null) {
				generator.writeNumberProperty(EventMessage.SCHEMA_VERSION, schemaVersion);
			}
			generator.writeEndObject();
		}
		return out.toString();
	}

}
