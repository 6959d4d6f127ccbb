package dev.outbox.relay.sink;

import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Where the pipeline hands records: {@link KafkaEventSink} in production. Called from the reader
 * thread only; outcomes arrive on each record's {@link Delivery}.
 */
public interface EventSink {

	/**
	 * Hands a record over without waiting for Kafka.
	 * @param record the record
	 * @param delivery told of the outcome, exactly once
	 * @return {@code true} when the record was taken (or failed for good); {@code false} when it
	 * could not be taken now and the caller must offer the same record again before any other
	 */
	boolean trySend(ProducerRecord<byte[], byte[]> record, Delivery delivery);

	/**
	 * Parks a record routing could not map: to the dead-letter topic when there is one, else the
	 * delivery fails.
	 * @param record the record as far as it could be built
	 * @param error why it cannot be published
	 * @param delivery told of the outcome, exactly once
	 */
	void reject(ProducerRecord<byte[], byte[]> record, Throwable error, Delivery delivery);

	/** Asks for what is held back for batching to be sent now, without waiting. */
	void flushSoon();

}
