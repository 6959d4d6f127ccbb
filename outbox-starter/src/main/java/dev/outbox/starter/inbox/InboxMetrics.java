package dev.outbox.starter.inbox;

/**
 * Receives what the {@link Inbox} did, once the transaction it did it in has committed.
 * {@link MicrometerInboxMetrics} counts it; define a bean of this type to observe it some
 * other way.
 */
public interface InboxMetrics {

	/** Metrics that record nothing. */
	InboxMetrics NONE = new InboxMetrics() {

		@Override
		public void applied(String consumer) {
		}

		@Override
		public void duplicate(String consumer) {
		}

	};

	/**
	 * An event was applied and the transaction committed.
	 * @param consumer the consumer that applied it
	 */
	void applied(String consumer);

	/**
	 * A duplicate was skipped and the transaction committed.
	 * @param consumer the consumer that had applied it before
	 */
	void duplicate(String consumer);

}
