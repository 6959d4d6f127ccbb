package dev.outbox.starter.inbox.kafka;

/**
 * Thrown for a record whose event type an {@link InboxListener @InboxListener} method with a
 * payload parameter does not handle (or that has no event type), unless the method opted into
 * skipping them with {@link InboxListener#otherEventTypes()}. The method did not run and
 * nothing was recorded in the inbox; the listener container's error handler decides what
 * happens to the record (add this exception to its not-retryable exceptions: a retry cannot
 * succeed).
 */
public class UnhandledEventTypeException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/**
	 * Create an exception.
	 * @param message the record, its event type, the event types handled and the fix
	 */
	public UnhandledEventTypeException(String message) {
		super(message);
	}

}
