package dev.outbox.relay.sink;

import java.util.Set;

import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;

/**
 * What a send error means for the event, and so what the relay may do with it.
 * <p>
 * Only an error about <em>that record</em> may divert the record to the dead-letter topic: the
 * record is too large, malformed, or has a timestamp the topic refuses. Resending it cannot help
 * and nothing else is wrong, so parking it and going on loses nothing. Every other final error
 * (not authorized, a policy violation, an unknown server error, any class this list does not
 * know) says something about the topic, the cluster or the relay's setup: dead-lettering would
 * silently divert every event of the topic while the slot advances, so the relay stops instead,
 * confirming nothing past the event, until an operator fixes the cause.
 */
public enum SendFailure {

	/** The producer gave up on a retriable error: re-read from the confirmed position. */
	RESEND,

	/** Kafka refuses this record for good: it may go to the dead-letter topic. */
	DEAD_LETTER,

	/** A final error that is not about the record: stop, confirm nothing past it. */
	STOP;

	/**
	 * Errors about the record itself, as the producer reports them whether it found them before
	 * sending or the broker answered with them ({@code MESSAGE_TOO_LARGE}, {@code INVALID_RECORD},
	 * {@code INVALID_TIMESTAMP}). Exact classes: a subclass is not assumed to mean the same.
	 */
	private static final Set<Class<? extends Throwable>> ABOUT_THE_RECORD = Set.of(RecordTooLargeException.class,
			InvalidRecordException.class, InvalidTimestampException.class);

	/**
	 * Classifies a send error.
	 * @param error the error a send reported
	 * @return what it means for the event
	 */
	public static SendFailure of(Throwable error) {
		if (error instanceof RetriableException) {
			return RESEND;
		}
		return ABOUT_THE_RECORD.contains(error.getClass()) ? DEAD_LETTER : STOP;
	}

}
