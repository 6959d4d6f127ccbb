package dev.outbox.failuresuite.variant;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;

import dev.outbox.failuresuite.lab.Pipeline;
import dev.outbox.failuresuite.rig.RelayLaunch;
import dev.outbox.relay.sink.Delivery;
import dev.outbox.relay.sink.EventSink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The lab's keyless sink hands the producer each record as routing mapped it, without its key and
 * on the partitions in turn, and leaves the outcome to the shipped sink; each pipeline runs the relay of the
 * one relay slot in which it differs from ours.
 */
class KeylessSinkUnitTests {

	private static final ProducerRecord<byte[], byte[]> MAPPED = new ProducerRecord<>("fs.account", null, 1234L,
			"acct-7".getBytes(), "{\"aggregate\":\"acct-7\",\"seq\":3}".getBytes(),
			List.of(new RecordHeader("id", "e-1".getBytes())));

	@Test
	void aRecordReachesTheProducerWithoutItsKeyAndOtherwiseAsMapped() {
		Producer producer = new Producer();
		Delivery delivery = new Unused();
		assertThat(new KeylessSink(producer, 3).trySend(MAPPED, delivery)).isTrue();
		ProducerRecord<byte[], byte[]> sent = producer.records.get(0);
		assertThat(sent.key()).isNull();
		assertThat(sent.partition()).isZero();
		assertThat(sent.topic()).isEqualTo("fs.account");
		assertThat(sent.timestamp()).isEqualTo(1234L);
		assertThat(sent.value()).isEqualTo(MAPPED.value());
		assertThat(sent.headers().lastHeader("id").value()).isEqualTo("e-1".getBytes());
		assertThat(producer.deliveries).containsExactly(delivery);
	}

	@Test
	void consecutiveRecordsTakeThePartitionsInTurn() {
		Producer producer = new Producer();
		KeylessSink sink = new KeylessSink(producer, 3);
		for (int i = 0; i < 5; i++) {
			sink.trySend(MAPPED, new Unused());
		}
		assertThat(producer.records).extracting(ProducerRecord::partition).containsExactly(0, 1, 2, 0, 1);
	}

	@Test
	void keylessRelayNamesItselfForTheLauncher() {
		assertThat(KeylessRelay.MAIN_CLASS).isEqualTo(KeylessRelay.class.getName());
	}

	@Test
	void eachPipelineRunsTheRelayOfTheSlotInWhichItDiffersFromOurs() {
		assertThat(VariantRelays.launch(Pipeline.OURS)).isEqualTo(RelayLaunch.SHIPPED);
		assertThat(VariantRelays.launch(Pipeline.of(Map.of("sink", "naive")))).isEqualTo(RelayLaunch.SHIPPED);
		assertThat(VariantRelays.launch(Pipeline.of(Map.of("key", "none"))).jvmOptions())
			.contains("-Dloader.main=" + KeylessRelay.MAIN_CLASS);
		assertThat(VariantRelays.launch(Pipeline.of(Map.of("checkpoint", "confirm-on-send"))).jvmOptions())
			.contains("-Dloader.main=" + ConfirmOnSendRelay.MAIN_CLASS);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> VariantRelays
				.launch(Pipeline.of(Map.of("key", "none", "checkpoint", "confirm-on-send"))))
			.withMessageContaining("no lab relay has both checkpoint confirm-on-send and key none");
	}

	/** The shipped sink's place: takes every record, keeps it and its delivery. */
	private static final class Producer implements EventSink {

		private final List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();

		private final List<Delivery> deliveries = new ArrayList<>();

		@Override
		public boolean trySend(ProducerRecord<byte[], byte[]> record, Delivery delivery) {
			this.records.add(record);
			this.deliveries.add(delivery);
			return true;
		}

		@Override
		public void reject(ProducerRecord<byte[], byte[]> record, Throwable error, Delivery delivery) {
		}

		@Override
		public void flushSoon() {
		}

	}

	/** A delivery nobody is told of here: the shipped sink tells it. */
	private static final class Unused implements Delivery {

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
			return "event e-1";
		}

	}

}
