package dev.outbox.failuresuite.variant;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import dev.outbox.relay.sink.Delivery;
import dev.outbox.relay.sink.EventSink;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lab's confirm-on-send sink counts a record as acknowledged when the producer takes it, and
 * heeds nothing Kafka says afterwards; a record the producer did not take is not acknowledged.
 */
class ConfirmOnSendSinkUnitTests {

	private static final ProducerRecord<byte[], byte[]> RECORD = new ProducerRecord<>("t", new byte[0], new byte[0]);

	@Test
	void aRecordTheProducerTookIsAcknowledgedAtOnceAndKafkasOutcomeIsNotHeeded() {
		Producer producer = new Producer(true);
		Outcomes outcomes = new Outcomes();
		assertThat(new ConfirmOnSendSink(producer).trySend(RECORD, outcomes)).isTrue();
		assertThat(outcomes.told).containsExactly("acknowledged");
		producer.deliveries.get(0).failed(new IllegalStateException("broker gone"));
		producer.deliveries.get(0).resendRequired(new IllegalStateException("expired"));
		producer.deliveries.get(0).acknowledged();
		assertThat(outcomes.told).containsExactly("acknowledged");
		assertThat(producer.deliveries.get(0).describe()).isEqualTo("event e1");
	}

	@Test
	void aRecordTheProducerCouldNotTakeIsNotAcknowledged() {
		Outcomes outcomes = new Outcomes();
		assertThat(new ConfirmOnSendSink(new Producer(false)).trySend(RECORD, outcomes)).isFalse();
		assertThat(outcomes.told).isEmpty();
	}

	@Test
	void confirmOnSendRelayNamesItselfForTheLauncher() {
		assertThat(ConfirmOnSendRelay.MAIN_CLASS).isEqualTo(ConfirmOnSendRelay.class.getName());
	}

	/** The shipped sink's place: takes records or not, keeps their deliveries. */
	private static final class Producer implements EventSink {

		private final boolean takes;

		private final List<Delivery> deliveries = new ArrayList<>();

		Producer(boolean takes) {
			this.takes = takes;
		}

		@Override
		public boolean trySend(ProducerRecord<byte[], byte[]> record, Delivery delivery) {
			this.deliveries.add(delivery);
			return this.takes;
		}

		@Override
		public void reject(ProducerRecord<byte[], byte[]> record, Throwable error, Delivery delivery) {
		}

		@Override
		public void flushSoon() {
		}

	}

	/** What the checkpoint's side was told. */
	private static final class Outcomes implements Delivery {

		private final List<String> told = new ArrayList<>();

		@Override
		public void acknowledged() {
			this.told.add("acknowledged");
		}

		@Override
		public void failed(Throwable error) {
			this.told.add("failed");
		}

		@Override
		public void resendRequired(Throwable error) {
			this.told.add("resend");
		}

		@Override
		public String describe() {
			return "event e1";
		}

	}

}
