package dev.outbox.failuresuite.variant;

import org.apache.kafka.clients.producer.ProducerRecord;

import dev.outbox.relay.sink.Delivery;
import dev.outbox.relay.sink.EventSink;

/**
 * Lab only, and wrong on purpose: the relay's sink with checkpoint {@code confirm-on-send}. A record
 * counts as delivered the moment the producer takes it, so the relay's checkpoint confirms its WAL
 * position before Kafka has it; what becomes of the record afterwards (acknowledged, failed, to be
 * sent again) is not heeded. A relay that dies while the producer still holds such records has
 * confirmed them, and the slot never sends them again: they are lost for good.
 * <p>
 * Everything else is the shipped sink's, which it wraps: the record reaches the producer in the
 * same order, refused offers are offered again the same way.
 */
final class ConfirmOnSendSink extends WrappedSink {

	/**
	 * @param producer the shipped sink, which hands records to Kafka's producer
	 */
	ConfirmOnSendSink(EventSink producer) {
		super(producer);
	}

	@Override
	public boolean trySend(ProducerRecord<byte[], byte[]> record, Delivery delivery) {
		boolean taken = this.producer.trySend(record, new Unheeded(delivery));
		if (taken) {
			delivery.acknowledged(); // confirmed on send: the checkpoint may now move past it
		}
		return taken;
	}

	/** Kafka's outcome of a record already counted as delivered: nobody is told. */
	private record Unheeded(Delivery delivery) implements Delivery {

		@Override
		public void acknowledged() {
		}

		@Override
		public void failed(Throwable error) {
		}

		@Override
		public void resendRequired(Throwable error) {
		}

		@Override
		public String describe() {
			return this.delivery.describe();
		}

	}

}
