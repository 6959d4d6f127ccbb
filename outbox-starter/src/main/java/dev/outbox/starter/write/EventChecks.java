package dev.outbox.starter.write;

import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.outbox.contract.ReservedHeaders;
import dev.outbox.starter.InvalidOutboxEventException;
import dev.outbox.starter.contract.EventTypeCatalog;
import dev.outbox.starter.contract.EventTypeDeclaration;

/**
 * The checks {@link DefaultOutbox} applies at the call site, so that a bad event fails where
 * it is published rather than at commit.
 */
final class EventChecks {

	/** Length of the {@code varchar(255)} columns, in characters. */
	static final int MAX_NAME_LENGTH = 255;

	private EventChecks() {
	}

	static String requireName(String field, @Nullable String value, String context) {
		if (value == null || value.isBlank()) {
			throw new InvalidOutboxEventException(field + " must not be " + ((value == null) ? "null" : "blank")
					+ " (" + context + "); every outbox event needs an aggregate type, an aggregate id and an event "
					+ "type");
		}
		int length = value.codePointCount(0, value.length());
		if (length > MAX_NAME_LENGTH) {
			throw new InvalidOutboxEventException(field + " is " + length + " characters long but the outbox column "
					+ "holds at most " + MAX_NAME_LENGTH + " (" + context + ")");
		}
		if (value.indexOf('\0') >= 0) {
			throw new InvalidOutboxEventException(
					field + " contains the character U+0000, which PostgreSQL cannot store (" + context + ")");
		}
		return value;
	}

	/**
	 * Reject an event type the application did not declare, so that every event on the wire
	 * has a known payload type (and a registered schema).
	 * @param catalog the declared event types
	 * @param eventType the event type, already checked with {@link #requireName}
	 * @param context the event, to name in the message
	 */
	static void requireDeclared(EventTypeCatalog catalog, String eventType, String context) {
		if (catalog.find(eventType).isPresent()) {
			return;
		}
		throw new InvalidOutboxEventException("eventType '" + abbreviate(eventType) + "' is not declared (" + context
				+ "). Declare it with its payload type: a bean OutboxEventTypes.of((types) -> types.declare(\""
				+ abbreviate(eventType) + "\", YourPayload.class)), an @OutboxEvent(eventType = \"" + abbreviate(eventType)
				+ "\") method returning the payload (or with payloadType), or an OutboxDomainEvent class of that "
				+ "simple name in the application's packages; or set outbox.contract.require-declared-event-types="
				+ "false. Declared event types: " + declaredNames(catalog));
	}

	private static String declaredNames(EventTypeCatalog catalog) {
		List<String> names = catalog.declarations().stream().map(EventTypeDeclaration::eventType).toList();
		if (names.size() > 20) {
			return names.subList(0, 20) + " and " + (names.size() - 20) + " more";
		}
		return names.toString();
	}

	/**
	 * Reject a header name the relay writes on every record itself (see
	 * {@link ReservedHeaders}): a second header of that name would make the inbox take every
	 * later event carrying it for a duplicate.
	 * @param name the header name; {@code null} is left to the other header checks
	 * @param source where the header came from, to name in the message
	 * @param context the event, to name in the message
	 */
	static void requireUnreservedHeader(@Nullable String name, String source, String context) {
		if (name != null && ReservedHeaders.isReserved(name)) {
			throw new InvalidOutboxEventException(
					ReservedHeaders.collisionMessage(name) + " in " + source + " (" + context + ")");
		}
	}

	/**
	 * Shorten a value for an exception message.
	 * @param value the value
	 * @return the value, cut to 64 characters with an ellipsis if longer
	 */
	static String abbreviate(@Nullable String value) {
		return (value != null && value.length() > 64) ? value.substring(0, 61) + "..." : String.valueOf(value);
	}

	/**
	 * Number of bytes of the string in UTF-8, without encoding it.
	 * @param text the text
	 * @return the UTF-8 length
	 */
	static long utf8Length(CharSequence text) {
		long bytes = 0;
		int length = text.length();
		for (int i = 0; i < length; i++) {
			char ch = text.charAt(i);
			if (ch < 0x80) {
				bytes += 1;
			}
			else if (ch < 0x800) {
				bytes += 2;
			}
			else if (Character.isHighSurrogate(ch) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
				bytes += 4;
				i++;
			}
			else {
				bytes += 3;
			}
		}
		return bytes;
	}

	/**
	 * Whether serialized JSON contains the escape {@code \u0000}, which jsonb rejects.
	 * @param json the JSON text
	 * @return whether a {@code \u0000} escape (not an escaped backslash followed by
	 * {@code u0000}) occurs
	 */
	static boolean containsNulEscape(String json) {
		int from = 0;
		while (true) {
			int at = json.indexOf("\\u0000", from);
			if (at < 0) {
				return false;
			}
			int backslashes = 0;
			for (int i = at; i >= 0 && json.charAt(i) == '\\'; i--) {
				backslashes++;
			}
			if (backslashes % 2 == 1) {
				return true;
			}
			from = at + 1;
		}
	}

}
