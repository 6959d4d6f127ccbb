package dev.outbox.starter.inbox.kafka;

/**
 * Thrown by an {@link InboxListener @InboxListener} method for a record that carries no
 * event id, so the inbox cannot tell whether it was applied. The record was neither applied
 * nor skipped; the listener container's error handler decides what happens to it (with
 * spring-kafka's default {@code DefaultErrorHandler}: retried, then logged and skipped; add
 * this exception to its not-retryable exceptions and give it a
 * {@code DeadLetterPublishingRecoverer} to park such records instead).
 */
public class MissingEventIdException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/**
	 * Create an exception.
	 * @param message what was missing, where, and how to fix it
	 */
	public MissingEventIdException(String message) {
		super(message);
	}

	/**
	 * Create the exception for a record without event id.
	 * @param record the record, for example {@code Record orders-0@42}
	 * @param empty whether the header is there but empty
	 * @param listener the listener method
	 * @return the exception
	 */
	static MissingEventIdException of(String record, boolean empty, String listener) {
		return new MissingEventIdException(record + " has " + (empty ? "an empty" : "no") + " '"
				+ InboxListener.EVENT_ID_HEADER + "' header, so the inbox cannot tell whether " + listener
				+ " applied it before; it was neither applied nor skipped. The outbox relay puts the event id there; "
				+ "records from other producers need one too");
	}

}
