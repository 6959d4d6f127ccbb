package dev.outbox.relay.sink;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

class KafkaEventSinkUnitTests {

	private final MockProducer<byte[], byte[]> producer = new MockProducer<>(false, null, new ByteArraySerializer(),
			new ByteArraySerializer());

	private final KafkaEventSink sink = new KafkaEventSink(this.producer, Duration.ZERO);

	@Test
	void caughtUpReaderGetsWhatLingersSentWithoutWaitingForIt() {
		RecordingDelivery delivery = new RecordingDelivery();
		assertThat(this.sink.trySend(record(), delivery)).isTrue();
		assertThat(delivery.acknowledged).hasValue(0); // held back, as linger.ms would

		this.sink.flushSoon(); // returns at once; the sink's own thread flushes

		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(delivery.acknowledged).hasValue(1));
		this.sink.close();
	}

	@Test
	void steadyFlushRequestsAreCoalescedIntoOnePerLiveFlushInterval() {
		Duration interval = Duration.ofMillis(300);
		KafkaEventSink coalescing = new KafkaEventSink(this.producer, interval);
		AtomicLong firstAcked = new AtomicLong();
		AtomicLong secondAcked = new AtomicLong();
		long start = System.nanoTime();
		coalescing.trySend(record(), new RecordingDelivery() {
			@Override
			public void acknowledged() {
				firstAcked.set(System.nanoTime());
			}
		});
		coalescing.flushSoon();
		await().atMost(Duration.ofSeconds(10)).until(() -> firstAcked.get() != 0);

		coalescing.trySend(record(), new RecordingDelivery() {
			@Override
			public void acknowledged() {
				secondAcked.set(System.nanoTime());
			}
		});
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
		assertThat(this.sink.trySend(record(), new RecordingDelivery())).isTrue();
		this.sink.close();
		this.sink.flushSoon();
		assertThat(this.producer.closed()).isTrue();
	}

	@Test
	void brokerRejectionThatIsNotAboutTheRecordFailsTheEventAndAbortsTheProducerSoNothingLaterIsSent() {
		KafkaEventSink withDeadLetters = new KafkaEventSink(this.producer, Duration.ZERO, "dead-letters");
		RecordingDelivery denied = new RecordingDelivery();
		RecordingDelivery later = new RecordingDelivery();
		withDeadLetters.trySend(record(), denied);
		withDeadLetters.trySend(record(), later);

		this.producer.errorNext(new TopicAuthorizationException(Set.of("outbox.event.order")));

		assertThat(denied.failed.get()).isInstanceOf(TopicAuthorizationException.class);
		assertThat(withDeadLetters.isAborted()).isTrue();
		assertThat(this.producer.closed()).as("unsent records are aborted, not sent").isTrue();
		assertThat(later.acknowledged).hasValue(0);
		withDeadLetters.close();
	}

	@Test
	void recordTheBrokerFindsTooLargeGoesToTheDeadLetterTopicWithItsHeadersAndItsAckIsTheEvents() {
		KafkaEventSink withDeadLetters = new KafkaEventSink(this.producer, Duration.ZERO, "dead-letters");
		RecordingDelivery delivery = new RecordingDelivery();
		ProducerRecord<byte[], byte[]> record = record();
		record.headers().add("id", "event-1".getBytes(StandardCharsets.UTF_8));
		withDeadLetters.trySend(record, delivery);

		this.producer.errorNext(new RecordTooLargeException("too large"));
		await().atMost(Duration.ofSeconds(10)).until(() -> this.producer.history().size() == 2);
		ProducerRecord<byte[], byte[]> deadLetter = this.producer.history().get(1);
		assertThat(deadLetter.topic()).isEqualTo("dead-letters");
		assertThat(deadLetter.key()).isEqualTo(record.key());
		assertThat(deadLetter.value()).isEqualTo(record.value());
		assertThat(new String(deadLetter.headers().lastHeader("id").value(), StandardCharsets.UTF_8)).isEqualTo("event-1");
		assertThat(new String(deadLetter.headers().lastHeader("dlq.topic").value(), StandardCharsets.UTF_8))
			.isEqualTo("outbox.event.order");
		assertThat(new String(deadLetter.headers().lastHeader("dlq.error").value(), StandardCharsets.UTF_8))
			.contains("RecordTooLargeException");
		assertThat(delivery.acknowledged).hasValue(0);

		this.producer.completeNext();
		assertThat(delivery.acknowledged).hasValue(1);
		assertThat(withDeadLetters.isAborted()).isFalse();
		withDeadLetters.close();
	}

	@Test
	void deadLetterTooLargeForTheDeadLetterTopicGoesAgainWithoutItsPayload() {
		KafkaEventSink withDeadLetters = new KafkaEventSink(this.producer, Duration.ZERO, "dead-letters");
		RecordingDelivery delivery = new RecordingDelivery();
		withDeadLetters.trySend(record(), delivery);
		this.producer.errorNext(new RecordTooLargeException("too large"));
		await().atMost(Duration.ofSeconds(10)).until(() -> this.producer.history().size() == 2);

		this.producer.errorNext(new RecordTooLargeException("too large for the dead-letter topic too"));
		await().atMost(Duration.ofSeconds(10)).until(() -> this.producer.history().size() == 3);
		ProducerRecord<byte[], byte[]> withoutPayload = this.producer.history().get(2);
		assertThat(withoutPayload.value()).isNull();
		assertThat(new String(withoutPayload.headers().lastHeader("dlq.payload-omitted").value(),
				StandardCharsets.UTF_8)).isEqualTo("2");
		this.producer.completeNext();
		assertThat(delivery.acknowledged).hasValue(1);
		withDeadLetters.close();
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void deadLetterLogsNameTheEventButNeverItsPayload(CapturedOutput output) {
		KafkaEventSink withDeadLetters = new KafkaEventSink(this.producer, Duration.ZERO, "dead-letters");
		ProducerRecord<byte[], byte[]> secret = new ProducerRecord<>("outbox.event.order", "order-1".getBytes(),
				"{\"card\":\"4111-1111\"}".getBytes(StandardCharsets.UTF_8));
		withDeadLetters.trySend(secret, new RecordingDelivery());
		this.producer.errorNext(new RecordTooLargeException("too large"));
		await().atMost(Duration.ofSeconds(10)).until(() -> this.producer.history().size() == 2);
		this.producer.errorNext(new RecordTooLargeException("too large for the dead-letter topic too"));
		await().atMost(Duration.ofSeconds(10)).until(() -> this.producer.history().size() == 3);

		assertThat(output).contains("Event test-event (LSN 0/1)").contains("without its payload")
			.doesNotContain("4111-1111");
		withDeadLetters.close();
	}

	@Test
	void recordRejectedForGoodWithoutDeadLetterTopicFailsTheEventAndAbortsTheProducer() {
		RecordingDelivery delivery = new RecordingDelivery();
		this.sink.trySend(record(), delivery);

		this.producer.errorNext(new RecordTooLargeException("too large"));

		assertThat(delivery.failed.get()).isInstanceOf(RecordTooLargeException.class);
		assertThat(this.sink.isAborted()).isTrue();
	}

	@Test
	void refusalInsideSendFailsOnlyThatEventAndLeavesTheProducerRunning() {
		MockProducer<byte[], byte[]> refusing = new MockProducer<>(false, null, new ByteArraySerializer(),
				new ByteArraySerializer()) {
			@Override
			public synchronized java.util.concurrent.Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record,
					Callback callback) {
				callback.onCompletion(null, new TopicAuthorizationException(Set.of(record.topic())));
				return java.util.concurrent.CompletableFuture.failedFuture(new TopicAuthorizationException("denied"));
			}
		};
		KafkaEventSink refusingSink = new KafkaEventSink(refusing, Duration.ZERO, "dead-letters");
		RecordingDelivery delivery = new RecordingDelivery();

		assertThat(refusingSink.trySend(record(), delivery)).isTrue();

		assertThat(delivery.failed.get()).isInstanceOf(TopicAuthorizationException.class);
		assertThat(refusingSink.isAborted()).isFalse();
		assertThat(refusing.closed()).isFalse();
		refusingSink.close();
	}

	@Test
	void recordThatCannotBeMappedIsDeadLetteredWhenThereIsATopicAndFailsTheEventOtherwise() {
		KafkaEventSink withDeadLetters = new KafkaEventSink(this.producer, Duration.ZERO, "dead-letters");
		RecordingDelivery parked = new RecordingDelivery();
		withDeadLetters.reject(record(), new IllegalArgumentException("bad row"), parked);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.producer.history().size() == 1);
		this.producer.completeNext();
		assertThat(parked.acknowledged).hasValue(1);

		RecordingDelivery stopped = new RecordingDelivery();
		this.sink.reject(record(), new IllegalArgumentException("bad row"), stopped);
		assertThat(stopped.failed.get()).hasMessage("bad row");
		withDeadLetters.close();
	}

	private static ProducerRecord<byte[], byte[]> record() {
		return new ProducerRecord<>("outbox.event.order", "order-1".getBytes(), "{}".getBytes());
	}

}
