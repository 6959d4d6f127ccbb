package dev.outbox.relay.sink;

/**
 * What becomes of one event handed to the {@link KafkaEventSink}: exactly one of the three
 * methods is called, once, on the producer's I/O thread, the sink's dead-letter thread or the
 * caller's thread.
 * <p>
 * A delivery belongs to the replication session that registered its event: the caller binds it
 * to that session's checkpoint and ticket, so an outcome that arrives after the session ended
 * (a dead letter acknowledged late, say) only ever touches the checkpoint it came from.
 */
public interface Delivery {

	/** Kafka acknowledged the record, or (when it was rejected for good) its dead letter. */
	void acknowledged();

	/**
	 * The record can neither be delivered nor dead-lettered ({@link SendFailure#STOP}): nothing
	 * after it may be confirmed.
	 * @param error what Kafka (or the producer) said
	 */
	void failed(Throwable error);

	/**
	 * The producer gave up on the record after a retriable error ({@link SendFailure#RESEND}):
	 * the session must re-read from its confirmed position.
	 * @param error what the producer said
	 */
	void resendRequired(Throwable error);

	/**
	 * @return the event for log lines: id, type, aggregate and position, never the payload
	 */
	String describe();

}
