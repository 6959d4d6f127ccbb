package dev.outbox.relay.pipeline;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.jspecify.annotations.Nullable;
import org.postgresql.replication.LogSequenceNumber;

import dev.outbox.relay.checkpoint.LsnCheckpoint;
import dev.outbox.relay.event.InvalidOutboxRowException;
import dev.outbox.relay.event.MalformedEvent;
import dev.outbox.relay.event.OutboxRow;
import dev.outbox.relay.routing.OutboxRecordMapper;
import dev.outbox.relay.sink.Delivery;
import dev.outbox.relay.sink.EventSink;
import dev.outbox.relay.sink.TopicProvisioner;
import dev.outbox.relay.source.SnapshotRows;
import dev.outbox.relay.source.StatusReporter;

/**
 * Hands one event from the source to the sink: registers it with the session's checkpoint
 * (waiting for window capacity), maps it (routing), makes sure its topic exists, and sends it,
 * offering it again while the producer cannot take it. Its {@link Delivery} reports the outcome
 * to the session that registered it.
 * <p>
 * Order: the reader calls {@link #publish} in WAL order and it returns only once the producer took
 * the record (or the event failed for good), so records reach the producer in commit order, and a
 * record the producer refused is offered again before anything behind it.
 * <p>
 * Reader thread only.
 */
final class EventPublisher {

	/**
	 * How recent a transaction's commit must be for it to count as a live write, whose events
	 * are flushed to Kafka at once. A backlog (older transactions) keeps going out in batches
	 * that {@code linger.ms} fills.
	 */
	private static final long LIVE_MILLIS = 1_000;

	private final EventSink sink;

	private final OutboxRecordMapper mapper;

	private final @Nullable TopicProvisioner topics;

	private final RelayStatus status;

	private final RelayMetrics metrics;

	private final Duration waitTurn;

	/**
	 * @param sink the Kafka producer
	 * @param mapper row to record
	 * @param topics creates missing topics, or {@code null}
	 * @param status where the state is published
	 * @param metrics where figures are published
	 * @param waitTurn how long one turn of a wait lasts (the status interval)
	 */
	EventPublisher(EventSink sink, OutboxRecordMapper mapper, @Nullable TopicProvisioner topics, RelayStatus status,
			RelayMetrics metrics, Duration waitTurn) {
		this.sink = sink;
		this.mapper = mapper;
		this.topics = topics;
		this.status = status;
		this.metrics = metrics;
		this.waitTurn = waitTurn;
	}

	/**
	 * Publishes one event of the session's current transaction.
	 * @param row the event
	 * @param commitMillis its transaction's commit time, for the commit-to-ack timer
	 * @param session the session it belongs to
	 * @throws Exception when the session must end (failure, resend, stop)
	 */
	void publish(OutboxRow row, long commitMillis, Session session) throws Exception {
		long ticket = register(row.id(), row.lsn(), session);
		ProducerRecord<byte[], byte[]> record;
		try {
			record = this.mapper.toRecord(row);
		}
		catch (InvalidOutboxRowException ex) {
			this.sink.reject(this.mapper.unmappedRecord(row), ex,
					new EventDelivery(row, ticket, session, commitMillis, null));
			return;
		}
		ensureTopic(record.topic(), session);
		EventDelivery delivery = new EventDelivery(row, ticket, session, commitMillis, record.topic());
		this.status.eventsWaiting(true);
		while (!this.sink.trySend(record, delivery)) {
			this.status.set(RelayState.RETRYING, "Kafka does not accept records (no metadata or buffer full); retrying");
			session.keepAlive("Kafka is unavailable");
		}
		if (this.status.state() == RelayState.RETRYING) {
			this.status.set(RelayState.STREAMING, null);
		}
	}

	/**
	 * Takes a malformed message under the outbox prefix in an event's place: registered with the
	 * checkpoint like one, then parked on the dead-letter topic when there is one, else failed, which
	 * stops the relay naming its LSN and the problem, exactly as a row routing cannot map.
	 * @param event the message and what is wrong with it
	 * @param commitMillis its transaction's commit time
	 * @param session the session it belongs to
	 * @throws Exception when the session must end (failure, resend, stop)
	 */
	void refuse(MalformedEvent event, long commitMillis, Session session) throws Exception {
		long ticket = register(MalformedEvent.LABEL, event.lsn(), session);
		this.sink.reject(this.mapper.malformedRecord(event), event.problem(),
				new EventDelivery(event, ticket, session, commitMillis));
	}

	/**
	 * Publishes the rows of the snapshot exported at slot creation, and returns once Kafka has
	 * acknowledged every one of them (or throws): only then may the slot become permanent. The
	 * snapshot is one transaction ending at the slot's consistent point; there is no stream yet,
	 * so no status updates.
	 * @param rows the rows of the exported snapshot
	 * @param consistentPoint the slot's consistent point
	 * @param maxInFlight the window ({@code outbox.relay.max-in-flight})
	 * @param running whether the relay still runs
	 * @return how many rows were published
	 * @throws Exception when an event failed, or the relay stops
	 */
	int publishSnapshot(SnapshotRows rows, long consistentPoint, int maxInFlight, BooleanSupplier running)
			throws Exception {
		Session snapshot = new Session(new LsnCheckpoint(maxInFlight, consistentPoint), StatusReporter.none(), running);
		snapshot.checkpoint().beginTransaction();
		OutboxRow row;
		int count = 0;
		while ((row = rows.next()) != null) {
			publish(row, row.createdAt().toEpochMilli(), snapshot);
			count++;
		}
		snapshot.checkpoint().commitTransaction(consistentPoint);
		while (snapshot.checkpoint().inFlight() > 0) {
			snapshot.keepAlive("waiting for Kafka to acknowledge the initial snapshot");
			snapshot.checkpoint().awaitCapacity(this.waitTurn.toMillis(), TimeUnit.MILLISECONDS);
			LockSupport.parkNanos(1_000_000);
		}
		snapshot.checkFailure();
		return count;
	}

	/** Live writes do not wait for linger.ms; a backlog (older commits) is left to fill batches. */
	void flushIfLive(long commitMillis) {
		if (System.currentTimeMillis() - commitMillis < LIVE_MILLIS) {
			this.sink.flushSoon();
		}
	}

	private long register(String eventId, long lsn, Session session) throws Exception {
		LsnCheckpoint checkpoint = session.checkpoint();
		long ticket;
		while ((ticket = checkpoint.tryRegister(eventId, lsn)) == LsnCheckpoint.NO_CAPACITY) {
			checkpoint.awaitCapacity(this.waitTurn.toMillis(), TimeUnit.MILLISECONDS);
			session.keepAlive("waiting for Kafka acknowledgements");
		}
		return ticket;
	}

	private void ensureTopic(String topic, Session session) throws Exception {
		TopicProvisioner provisioner = this.topics;
		while (provisioner != null) {
			try {
				provisioner.ensure(topic, this.waitTurn);
				return;
			}
			catch (IllegalStateException ex) {
				this.status.set(RelayState.RETRYING, ex.getMessage());
				session.keepAlive("creating topic " + topic);
			}
		}
	}

	/**
	 * One event's outcome, bound to the session (checkpoint) that registered it: an outcome that
	 * arrives after its session ended touches only that session's checkpoint, never the ticket of
	 * the same number in a later one.
	 */
	private final class EventDelivery implements Delivery {

		private final String eventId;

		private final @Nullable String eventType;

		private final @Nullable String aggregateType;

		private final @Nullable String aggregateId;

		private final long lsn;

		private final long ticket;

		private final Session session;

		private final long commitMillis;

		private final @Nullable String topic;

		EventDelivery(OutboxRow row, long ticket, Session session, long commitMillis, @Nullable String topic) {
			this.eventId = row.id();
			this.eventType = row.eventType();
			this.aggregateType = row.aggregateType();
			this.aggregateId = row.aggregateId();
			this.lsn = row.lsn();
			this.ticket = ticket;
			this.session = session;
			this.commitMillis = commitMillis;
			this.topic = topic;
		}

		EventDelivery(MalformedEvent event, long ticket, Session session, long commitMillis) {
			this.eventId = MalformedEvent.LABEL;
			this.eventType = null;
			this.aggregateType = null;
			this.aggregateId = null;
			this.lsn = event.lsn();
			this.ticket = ticket;
			this.session = session;
			this.commitMillis = commitMillis;
			this.topic = null;
		}

		@Override
		public void acknowledged() {
			this.session.checkpoint().ack(this.ticket);
			EventPublisher.this.status.kafkaAcknowledged();
			if (this.topic != null) {
				EventPublisher.this.metrics.published(this.topic, this.commitMillis);
			}
		}

		@Override
		public void failed(Throwable error) {
			this.session.checkpoint().fail(this.ticket, (this.topic != null) ? new RejectedByKafka(this.topic, error) : error);
		}

		@Override
		public void resendRequired(Throwable error) {
			this.session.resendRequired(error);
		}

		@Override
		public String describe() {
			if (this.eventType == null) {
				return "Malformed message under the outbox prefix (LSN " + LogSequenceNumber.valueOf(this.lsn).asString()
						+ ")";
			}
			return "Event " + this.eventId + " (type " + this.eventType + ", aggregate " + this.aggregateType + " "
					+ this.aggregateId + ", LSN " + LogSequenceNumber.valueOf(this.lsn).asString() + ")";
		}

	}

	/** Names the topic beside Kafka's error, for health and logs. */
	static final class RejectedByKafka extends RuntimeException {

		RejectedByKafka(String topic, Throwable cause) {
			super("topic " + topic + ": " + cause, cause);
		}

		@Override
		public String toString() {
			return getMessage();
		}

	}

}
