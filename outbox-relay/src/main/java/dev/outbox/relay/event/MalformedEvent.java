package dev.outbox.relay.event;

import java.time.Instant;
import java.util.Objects;

/**
 * A logical decoding message under the outbox's prefix that is not an event the relay can
 * publish: its content breaks the message contract ({@code dev.outbox.contract.EventMessage}: not
 * JSON, not an object, a required field missing, empty, too long or not a string, an unknown
 * field, headers not an object), or it was emitted with {@code transactional = false}.
 * <p>
 * It takes an event's place in the stream, so it is never silently skipped: it goes to the
 * dead-letter topic when {@code outbox.relay.dead-letter-topic} is set, and otherwise stops the
 * relay, which confirms nothing past it. Either way it is registered with the checkpoint like an
 * event, so the watermark treats it like one.
 *
 * @param lsn the message's LSN (the end of its WAL record, as {@code pg_logical_emit_message}
 * returned it)
 * @param receivedAt its transaction's commit time, or when it was read for a non-transactional
 * message (which has no transaction); the dead letter's timestamp
 * @param content the content as emitted, the dead letter's value; owned by this event
 * @param problem what is wrong, naming the LSN, the field and the fix
 */
public record MalformedEvent(long lsn, Instant receivedAt, byte[] content, InvalidOutboxRowException problem) {

	/** What health and the checkpoint name a malformed message by: it has no trustworthy id. */
	public static final String LABEL = "(malformed message)";

	public MalformedEvent {
		Objects.requireNonNull(receivedAt, "receivedAt");
		Objects.requireNonNull(content, "content");
		Objects.requireNonNull(problem, "problem");
	}

}
