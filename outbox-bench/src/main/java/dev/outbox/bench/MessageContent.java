package dev.outbox.bench;

import org.jspecify.annotations.Nullable;

import dev.outbox.contract.EventMessage;
import dev.outbox.contract.TableName;

/**
 * Events in {@code message} write mode as any writer of the contract emits them
 * ({@link EventMessage}): the prefix of the outbox table and one JSON object per event, with the
 * fields in the starter's order, payload and headers embedded as the JSON text they are.
 */
public final class MessageContent {

	/** The prefix of the benchmark's outbox, {@code outbox:public.outbox_event}. */
	public static final String PREFIX = EventMessage.prefixFor(TableName.parse("public.outbox_event", "outbox.table"));

	/**
	 * Emits a transaction's messages in one statement, in array order, as the starter's
	 * {@code EventMessageBatch} does: parameters are the prefix and a JSON array of contents
	 * ({@link EventMessage#contentArray}).
	 */
	public static final String EMIT_SQL = "SELECT pg_catalog.pg_logical_emit_message(true, ?, m.content::text)"
			+ " FROM pg_catalog.json_array_elements(?::json) WITH ORDINALITY AS m(content, ord) ORDER BY m.ord";

	private MessageContent() {
	}

	/**
	 * The content of one event.
	 * @param id the event id
	 * @param aggregateType the aggregate type (names the topic)
	 * @param aggregateId the aggregate id (the key)
	 * @param eventType the event type
	 * @param payload JSON text
	 * @param headers JSON object text, or {@code null} for none (no {@code headers} field)
	 * @return the JSON object
	 */
	public static String of(String id, String aggregateType, String aggregateId, String eventType, String payload,
			@Nullable String headers) {
		return EventMessage.content(id, aggregateType, aggregateId, eventType, payload, headers, null);
	}

}
