package dev.outbox.relay.pipeline;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import dev.outbox.relay.checkpoint.LsnCheckpoint;
import dev.outbox.relay.event.OutboxRow;
import dev.outbox.relay.routing.OutboxRecordMapper;
import dev.outbox.relay.routing.TopicTemplate;
import dev.outbox.relay.sink.Delivery;
import dev.outbox.relay.sink.EventSink;
import dev.outbox.relay.source.StatusReporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The publisher between source and sink, on a scripted sink: sessions own their outcomes, a
 * refused record is offered again before anything else, and every failure ends the session.
 */
class EventPublisherUnitTests {

	private final ScriptedSink sink = new ScriptedSink();

	private final RelayStatus status = new RelayStatus(Clock.systemUTC());

	private final EventPublisher publisher = new EventPublisher(this.sink,
			new OutboxRecordMapper(new TopicTemplate("outbox.event.{aggregateType}"), new JsonMapper()), null,
			this.status, new RelayMetrics(new SimpleMeterRegistry(), this.status, () -> 0), Duration.ofMillis(10));

	private boolean running = true;

	@Test
	void outcomeArrivingAfterItsSessionEndedNeverTouchesTheNextSession() throws Exception {
		Session ended = session(0x100);
		ended.checkpoint().beginTransaction();
		this.publisher.publish(row("a", 0x110), 0, ended);
		Delivery lateOutcome = this.sink.deliveries.get(0);

		Session next = session(0x100);
		next.checkpoint().beginTransaction();
		this.publisher.publish(row("b", 0x110), 0, next);
		next.checkpoint().commitTransaction(0x120);
		lateOutcome.acknowledged(); // ticket 0 of the ended session, the same number as "b"'s

		assertThat(next.checkpoint().inFlight()).isEqualTo(1);
		assertThat(next.checkpoint().confirmableLsn()).isEqualTo(0x100);
		this.sink.deliveries.get(1).acknowledged();
		assertThat(next.checkpoint().confirmableLsn()).isEqualTo(0x120);
	}

	@Test
	void recordTheSinkCannotTakeIsOfferedAgainBeforeAnythingBehindItWhileTheSessionIsKeptAlive() throws Exception {
		Session session = session(0x100);
		session.checkpoint().beginTransaction();
		this.sink.refusals = 3;

		this.publisher.publish(row("a", 0x110), 0, session);
		this.publisher.publish(row("b", 0x118), 0, session);

		assertThat(this.sink.offered).containsExactly("a", "a", "a", "a", "b");
		assertThat(this.status.state()).isNotEqualTo(RelayState.RETRYING);
	}

	@Test
	void stopEndsTheWaitForTheSink() {
		Session session = session(0x100);
		session.checkpoint().beginTransaction();
		this.sink.refusals = Integer.MAX_VALUE;
		this.running = false;

		assertThatExceptionOfType(InterruptedException.class)
			.isThrownBy(() -> this.publisher.publish(row("a", 0x110), 0, session))
			.withMessageContaining("Kafka is unavailable");
	}

	@Test
	void fullWindowWaitsUntilAnAcknowledgementFreesASlot() throws Exception {
		Session session = new Session(new LsnCheckpoint(1, 0x100), StatusReporter.none(), () -> this.running);
		session.checkpoint().beginTransaction();
		this.publisher.publish(row("a", 0x110), 0, session);
		Thread publishing = new Thread(() -> {
			try {
				this.publisher.publish(row("b", 0x118), 0, session);
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		});
		publishing.start();

		await().atMost(Duration.ofSeconds(10)).until(() -> publishing.getState() == Thread.State.TIMED_WAITING);
		assertThat(this.sink.offered).containsExactly("a");
		this.sink.deliveries.get(0).acknowledged();

		publishing.join(10_000);
		assertThat(this.sink.offered).containsExactly("a", "b");
	}

	@Test
	void failedEventEndsTheSessionNamingTheTopicTheEventAndTheError() throws Exception {
		Session session = session(0x100);
		session.checkpoint().beginTransaction();
		this.publisher.publish(row("a", 0x110), 0, session);

		this.sink.deliveries.get(0).failed(new TopicAuthorizationException(Set.of("outbox.event.order")));

		assertThatExceptionOfType(PermanentFailure.class).isThrownBy(() -> session.keepAlive("anything"))
			.withMessageContaining("Event a")
			.withMessageContaining("topic outbox.event.order")
			.withMessageContaining("TopicAuthorizationException")
			.satisfies((ex) -> assertThat(ex.eventId()).isEqualTo("a"));
	}

	@Test
	void recordTheProducerGaveUpOnEndsTheSessionToReReadFromTheConfirmedPosition() throws Exception {
		Session session = session(0x100);
		session.checkpoint().beginTransaction();
		this.publisher.publish(row("a", 0x110), 0, session);

		this.sink.deliveries.get(0).resendRequired(new org.apache.kafka.common.errors.TimeoutException("expired"));

		assertThatExceptionOfType(Session.ResendRequired.class).isThrownBy(() -> session.keepAlive("anything"));
	}

	@Test
	void rowRoutingCannotMapIsRejectedToTheSinkNotSent() throws Exception {
		Session session = session(0x100);
		session.checkpoint().beginTransaction();

		this.publisher.publish(new OutboxRow("a", "bad topic!", "agg-1", "E", "{}", null, Instant.EPOCH, 0x110), 0,
				session);

		assertThat(this.sink.offered).isEmpty();
		assertThat(this.sink.rejected).containsExactly("a");
	}

	private Session session(long startLsn) {
		return new Session(new LsnCheckpoint(100, startLsn), StatusReporter.none(), () -> this.running);
	}

	private static OutboxRow row(String id, long lsn) {
		return new OutboxRow(id, "order", "agg-1", "OrderPlaced", "{}", null, Instant.EPOCH, lsn);
	}

	/** Takes records after a number of refusals, and keeps each delivery for the test to complete. */
	private static final class ScriptedSink implements EventSink {

		private final List<String> offered = new java.util.concurrent.CopyOnWriteArrayList<>();

		private final List<String> rejected = new java.util.concurrent.CopyOnWriteArrayList<>();

		private final List<Delivery> deliveries = new java.util.concurrent.CopyOnWriteArrayList<>();

		private int refusals;

		@Override
		public boolean trySend(ProducerRecord<byte[], byte[]> record, Delivery delivery) {
			this.offered.add(id(record));
			if (this.refusals > 0) {
				this.refusals--;
				return false;
			}
			this.deliveries.add(delivery);
			return true;
		}

		@Override
		public void reject(ProducerRecord<byte[], byte[]> record, Throwable error, Delivery delivery) {
			this.rejected.add(id(record));
			this.deliveries.add(delivery);
		}

		@Override
		public void flushSoon() {
		}

		private static String id(ProducerRecord<byte[], byte[]> record) {
			return new String(record.headers().lastHeader("id").value());
		}

	}

}
