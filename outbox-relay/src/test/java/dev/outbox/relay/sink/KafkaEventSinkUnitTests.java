package dev.outbox.relay.sink;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

class KafkaEventSinkUnitTests {

	private final MockProducer<byte[], byte[]> producer = new MockProducer<>(false, null, new ByteArraySerializer(),
			new ByteArraySerializer());

	private final KafkaEventSink sink = new KafkaEventSink(this.producer, Duration.ZERO);

	@Test
	void caughtUpReaderGetsWhatLingersSentWithoutWaitingForIt() {
		AtomicInteger acknowledged = new AtomicInteger();
		assertThat(this.sink.trySend(record(), (metadata, error) -> acknowledged.incrementAndGet())).isTrue();
		assertThat(acknowledged).hasValue(0); // held back, as linger.ms would

		this.sink.flushSoon(); // returns at once; the sink's own thread flushes

		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(acknowledged).hasValue(1));
		this.sink.close();
	}

	@Test
	void steadyFlushRequestsAreCoalescedIntoOnePerLiveFlushInterval() {
		Duration interval = Duration.ofMillis(300);
		KafkaEventSink coalescing = new KafkaEventSink(this.producer, interval);
		AtomicLong firstAcked = new AtomicLong();
		AtomicLong secondAcked = new AtomicLong();
		long start = System.nanoTime();
		coalescing.trySend(record(), (metadata, error) -> firstAcked.set(System.nanoTime()));
		coalescing.flushSoon();
		await().atMost(Duration.ofSeconds(10)).until(() -> firstAcked.get() != 0);

		coalescing.trySend(record(), (metadata, error) -> secondAcked.set(System.nanoTime()));
		coalescing.flushSoon(); // within the interval: waits for the next flush

		await().atMost(Duration.ofSeconds(10)).until(() -> secondAcked.get() != 0);
		assertThat(secondAcked.get() - start).isGreaterThanOrEqualTo(interval.toNanos());
		coalescing.close();
	}

	@Test
	void negativeLiveFlushIntervalIsRejectedNamingTheSetting() {
		assertThatIllegalArgumentException().isThrownBy(() -> new KafkaEventSink(this.producer, Duration.ofMillis(-1)))
			.withMessageContaining("outbox.relay.live-flush-interval");
	}

	@Test
	void flushRequestAfterCloseIsHarmless() {
		assertThat(this.sink.trySend(record(), (metadata, error) -> {
		})).isTrue();
		this.sink.close();
		this.sink.flushSoon();
		assertThat(this.producer.closed()).isTrue();
	}

	private static ProducerRecord<byte[], byte[]> record() {
		return new ProducerRecord<>("outbox.event.order", "order-1".getBytes(), "{}".getBytes());
	}

}
