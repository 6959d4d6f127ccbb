package dev.outbox.starter.inbox.kafka;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when the value of a record cannot be read into the payload parameter of an
 * {@link InboxListener @InboxListener} method: the message names the event id, the event type,
 * the record and the target class. The method did not run and nothing was recorded in the
 * inbox; the listener container's error handler decides what happens to the record (add this
 * exception to its not-retryable exceptions and park the record with a
 * {@code DeadLetterPublishingRecoverer}: a retry cannot succeed).
 */
public class EventPayloadException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/**
	 * Create an exception.
	 * @param message the event, the target class and what went wrong
	 * @param cause the mapper's exception, if any
	 */
	public EventPayloadException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
