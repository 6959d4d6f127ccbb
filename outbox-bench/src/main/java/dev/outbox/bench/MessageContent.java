package dev.outbox.bench;

import java.io.StringWriter;
import java.util.List;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.json.JsonFactory;

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
	 * {@code EventMessageBatch} does: parameters are the prefix and a {@code text[]} of contents.
	 */
	public static final String EMIT_SQL = "SELECT pg_catalog.pg_logical_emit_message(true, ?, m.content)"
			+ " FROM unnest(?::text[]) WITH ORDINALITY AS m(content, ord) ORDER BY m.ord";

	private static final JsonFactory factory = new JsonFactory();

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
		StringWriter out = new StringWriter(128 + payload.length() + ((headers != null) ? headers.length() : 0));
		try (JsonGenerator generator = factory.createGenerator(out)) {
			generator.writeStartObject();
			generator.writeStringProperty(EventMessage.ID, id);
			generator.writeStringProperty(EventMessage.AGGREGATE_TYPE, aggregateType);
			generator.writeStringProperty(EventMessage.AGGREGATE_ID, aggregateId);
			generator.writeStringProperty(EventMessage.EVENT_TYPE, eventType);
			generator.writeName(EventMessage.PAYLOAD);
			generator.writeRawValue(payload);
			if (headers != null) {
				generator.writeName(EventMessage.HEADERS);
				generator.writeRawValue(headers);
			}
			generator.writeEndObject();
		}
		return out.toString();
	}

	/**
	 * A PostgreSQL array literal of texts, every element quoted, for a {@code text[]} parameter
	 * given as text (a pgbench variable): {@code {"a","b \"c\""}}.
	 * @param elements the texts
	 * @return the literal
	 */
	public static String arrayLiteral(List<String> elements) {
		StringBuilder literal = new StringBuilder("{");
		for (String element : elements) {
			literal.append((literal.length() > 1) ? "," : "").append('"');
			for (int i = 0; i < element.length(); i++) {
				char c = element.charAt(i);
				if (c == '"' || c == '\\') {
					literal.append('\\');
				}
				literal.append(c);
			}
			literal.append('"');
		}
		return literal.append('}').toString();
	}

}
