package dev.outbox.starter.write;

import dev.outbox.contract.EventMessage;

/**
 * The content of an event written in {@link OutboxWriteMode#MESSAGE}: one JSON object with the
 * fields of {@link EventMessage}, in its order.
 * <p>
 * Payload and headers are already JSON text, serialized and checked by {@link DefaultOutbox},
 * so they are embedded as they are, never parsed again; the strings (id, aggregate type and id,
 * event type) are escaped ({@link EventMessage#content}). No headers means no {@code headers}
 * field, no schema version no {@code schema_version} field. Thread-safe.
 */
final class EventMessageContent {

	private EventMessageContent() {
	}

	/**
	 * The content of one event.
	 * @param event the event, validated and serialized
	 * @return the JSON object, as text
	 */
	static String of(OutboxRecord event) {
		return EventMessage.content(event.id().toString(), event.aggregateType(), event.aggregateId(),
				event.eventType(), event.payload(), event.headers(), event.schemaVersion());
	}

}
