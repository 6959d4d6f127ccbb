package dev.outbox.relay.source;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.jspecify.annotations.Nullable;
import org.postgresql.replication.LogSequenceNumber;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

import dev.outbox.contract.EventMessage;
import dev.outbox.relay.event.InvalidOutboxRowException;
import dev.outbox.relay.event.OutboxRow;

/**
 * Reads the content of a logical decoding message under the outbox prefix ({@link EventMessage})
 * into the same {@link OutboxRow} an INSERT of those values into the outbox table gives, so that
 * routing cannot tell the write modes apart.
 * <p>
 * One pass of Jackson's streaming parser over the content bytes, no tree: {@code payload} and
 * {@code headers} are taken as the exact text of their values (the byte span between their first
 * and last byte), so the payload reaches Kafka as the writer wrote it and is never re-serialised.
 * Everything the contract refuses is an {@link InvalidOutboxRowException} naming the LSN, the
 * field and the fix. Stateless and thread-safe.
 */
public final class EventMessageReader {

	private static final JsonFactory JSON = new JsonFactory();

	private static final int MAX_LENGTH = 255;

	private static final int ID = 0;

	private static final int AGGREGATE_TYPE = 1;

	private static final int AGGREGATE_ID = 2;

	private static final int EVENT_TYPE = 3;

	private static final int PAYLOAD = 4;

	private static final int HEADERS = 5;

	private static final int SCHEMA_VERSION = 6;

	private final String prefix;

	/**
	 * @param prefix the outbox's message prefix, for error messages
	 */
	public EventMessageReader(String prefix) {
		this.prefix = prefix;
	}

	/**
	 * Reads one message.
	 * @param content the message content
	 * @param commitTime its transaction's commit time, the event's timestamp
	 * @param lsn the message's LSN
	 * @return the event, as the equivalent outbox row
	 * @throws InvalidOutboxRowException when the content breaks the message contract
	 */
	public OutboxRow read(byte[] content, Instant commitTime, long lsn) {
		@Nullable String[] texts = new String[SCHEMA_VERSION + 1];
		int seen = 0;
		try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), content)) {
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				throw invalid(lsn, "the content is not a JSON object");
			}
			while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
				String name = parser.currentName();
				int field = field(name, lsn);
				if ((seen & (1 << field)) != 0) {
					throw invalid(lsn, "field " + name + " appears twice");
				}
				seen |= 1 << field;
				JsonToken token = parser.nextToken();
				texts[field] = switch (field) {
					case PAYLOAD -> span(parser, token, content);
					case HEADERS -> headers(parser, token, content, lsn);
					case SCHEMA_VERSION -> schemaVersion(parser, token, lsn);
					default -> string(parser, token, name, lsn);
				};
			}
			if (parser.nextToken() != null) {
				throw invalid(lsn, "the content has more after its JSON object");
			}
		}
		catch (JacksonException ex) {
			throw invalid(lsn, "the content is not valid JSON (" + ex.getOriginalMessage() + ")");
		}
		for (String required : EventMessage.REQUIRED_FIELDS) {
			if ((seen & (1 << field(required, lsn))) == 0) {
				throw invalid(lsn, "required field " + required + " is missing");
			}
		}
		return new OutboxRow(present(texts[ID]), present(texts[AGGREGATE_TYPE]), present(texts[AGGREGATE_ID]),
				present(texts[EVENT_TYPE]), present(texts[PAYLOAD]), texts[HEADERS],
				(texts[SCHEMA_VERSION] != null) ? Integer.valueOf(texts[SCHEMA_VERSION]) : null, commitTime, lsn);
	}

	private int field(String name, long lsn) {
		return switch (name) {
			case EventMessage.ID -> ID;
			case EventMessage.AGGREGATE_TYPE -> AGGREGATE_TYPE;
			case EventMessage.AGGREGATE_ID -> AGGREGATE_ID;
			case EventMessage.EVENT_TYPE -> EVENT_TYPE;
			case EventMessage.PAYLOAD -> PAYLOAD;
			case EventMessage.HEADERS -> HEADERS;
			case EventMessage.SCHEMA_VERSION -> SCHEMA_VERSION;
			default -> throw invalid(lsn, "unknown field " + name + "; the fields are " + EventMessage.FIELDS);
		};
	}

	private String string(JsonParser parser, JsonToken token, String name, long lsn) {
		if (token != JsonToken.VALUE_STRING) {
			throw invalid(lsn, "field " + name + " must be a string, but is " + describe(token));
		}
		String value = parser.getString();
		if (value.isEmpty()) {
			throw invalid(lsn, "field " + name + " is empty");
		}
		if (value.length() > MAX_LENGTH && value.codePointCount(0, value.length()) > MAX_LENGTH) {
			throw invalid(lsn, "field " + name + " has more than " + MAX_LENGTH + " characters");
		}
		return value;
	}

	private @Nullable String headers(JsonParser parser, JsonToken token, byte[] content, long lsn) {
		if (token == JsonToken.VALUE_NULL) {
			return null;
		}
		if (token != JsonToken.START_OBJECT) {
			throw invalid(lsn, "field headers must be a JSON object of name to value (or null), but is "
					+ describe(token));
		}
		return span(parser, token, content);
	}

	private @Nullable String schemaVersion(JsonParser parser, JsonToken token, long lsn) {
		if (token == JsonToken.VALUE_NULL) {
			return null;
		}
		if (token != JsonToken.VALUE_NUMBER_INT || parser.getNumberType() != JsonParser.NumberType.INT
				|| parser.getIntValue() < 1) {
			throw invalid(lsn, "field " + EventMessage.SCHEMA_VERSION + " must be an integer from 1 (or null), but is "
					+ ((token == JsonToken.VALUE_NUMBER_INT) ? parser.getText() : describe(token)));
		}
		return Integer.toString(parser.getIntValue());
	}

	/**
	 * The exact text of the value that starts at the current token: steps over it and cuts it out
	 * of the content.
	 */
	private static String span(JsonParser parser, JsonToken token, byte[] content) {
		int start = (int) parser.currentTokenLocation().getByteOffset();
		if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
			parser.skipChildren();
		}
		else {
			parser.finishToken(); // a string is read lazily; the span must include its end
		}
		int end = (int) parser.currentLocation().getByteOffset();
		return new String(content, start, end - start, StandardCharsets.UTF_8);
	}

	private static String present(@Nullable String required) {
		if (required == null) {
			throw new IllegalStateException("required field checked but absent");
		}
		return required;
	}

	private static String describe(JsonToken token) {
		return switch (token) {
			case START_OBJECT -> "an object";
			case START_ARRAY -> "an array";
			case VALUE_STRING -> "a string";
			case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
			case VALUE_TRUE, VALUE_FALSE -> "a boolean";
			case VALUE_NULL -> "null";
			default -> token.toString();
		};
	}

	private InvalidOutboxRowException invalid(long lsn, String problem) {
		return new InvalidOutboxRowException("Message under prefix " + this.prefix + " at LSN "
				+ LogSequenceNumber.valueOf(lsn).asString() + ": " + problem + ". The content must be one JSON object "
				+ "with the fields of the outbox contract (dev.outbox.contract.EventMessage); fix the writer");
	}

}
