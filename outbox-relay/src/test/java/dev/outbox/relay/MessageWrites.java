package dev.outbox.relay;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * SQL a plain writer runs in {@code message} write mode (no starter): one
 * {@code pg_logical_emit_message} per event, with the content of {@code dev.outbox.contract.EventMessage}.
 */
final class MessageWrites {

	static final String PREFIX = "outbox:public.outbox_event";

	private MessageWrites() {
	}

	/** The content of one event, with a JSON payload and optional headers (text values). */
	static String content(String id, String aggregateType, String aggregateId, String eventType, String payload,
			Map<String, String> headers) {
		String headersJson = headers.isEmpty() ? "" : ", \"headers\": " + headers.entrySet().stream()
			.map((entry) -> "\"" + entry.getKey() + "\": \"" + entry.getValue() + "\"")
			.collect(Collectors.joining(", ", "{", "}"));
		return "{\"id\": \"" + id + "\", \"aggregate_type\": \"" + aggregateType + "\", \"aggregate_id\": \""
				+ aggregateId + "\", \"event_type\": \"" + eventType + "\", \"payload\": " + payload + headersJson + "}";
	}

	/** {@code SELECT pg_logical_emit_message(transactional, prefix, content);} */
	static String emit(boolean transactional, String prefix, String content) {
		return "SELECT pg_logical_emit_message(" + transactional + ", '" + prefix + "', '" + content.replace("'", "''")
				+ "');";
	}

	/** A transactional message under {@link #PREFIX} with a small payload. */
	static String emit(String id, String aggregateType, String aggregateId, int n) {
		return emit(true, PREFIX, content(id, aggregateType, aggregateId, "Seq", "{\"n\": " + n + "}", Map.of()));
	}

	/** The INSERT+DELETE of the table contract for one event. */
	static String insertAndDelete(String id, String aggregateType, String aggregateId, int n) {
		return "INSERT INTO outbox_event (id, aggregate_type, aggregate_id, event_type, payload) VALUES ('" + id + "', '"
				+ aggregateType + "', '" + aggregateId + "', 'Seq', '{\"n\": " + n + "}'); DELETE FROM outbox_event WHERE id = '"
				+ id + "';";
	}

}
