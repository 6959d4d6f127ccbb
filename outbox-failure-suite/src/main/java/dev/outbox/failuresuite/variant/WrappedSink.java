package dev.outbox.failuresuite.variant;

import org.apache.kafka.clients.producer.ProducerRecord;

import dev.outbox.relay.sink.Delivery;
import dev.outbox.relay.sink.EventSink;

/**
 * A lab variant's sink: the shipped sink, wrapped, with only {@link #trySend} changed; dead letters
 * and flushes go to the shipped sink as they are.
 */
abstract class WrappedSink implements EventSink {

	/** The shipped sink, which hands records to Kafka's producer. */
	protected final EventSink producer;

	/**
	 * @param producer the shipped sink
	 */
	WrappedSink(EventSink producer) {
		this.producer = producer;
	}

	@Override
	public final void reject(ProducerRecord<byte[], byte[]> record, Throwable error, Delivery delivery) {
		this.producer.reject(record, error, delivery);
	}

	@Override
	public final void flushSoon() {
		this.producer.flushSoon();
	}

}
