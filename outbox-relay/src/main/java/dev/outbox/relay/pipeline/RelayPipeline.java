package dev.outbox.relay.pipeline;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jspecify.annotations.Nullable;
import org.postgresql.replication.LogSequenceNumber;
import org.postgresql.replication.PGReplicationStream;

import dev.outbox.relay.RelayProperties;
import dev.outbox.relay.checkpoint.FailedEvent;
import dev.outbox.relay.checkpoint.LsnCheckpoint;
import dev.outbox.relay.routing.InvalidOutboxRowException;
import dev.outbox.relay.routing.OutboxRecordMapper;
import dev.outbox.relay.routing.OutboxRow;
import dev.outbox.relay.sink.Delivery;
import dev.outbox.relay.sink.KafkaEventSink;
import dev.outbox.relay.sink.TopicProvisioner;
import dev.outbox.relay.source.ConnectionSettings;
import dev.outbox.relay.source.OutboxRowReader;
import dev.outbox.relay.source.ReceiveClock;
import dev.outbox.relay.source.ReplicationConnection;
import dev.outbox.relay.source.ReplicationSetup;
import dev.outbox.relay.source.SlotLostException;
import dev.outbox.relay.source.SlotCreation;
import dev.outbox.relay.source.SlotStatus;
import dev.outbox.relay.source.SnapshotRows;
import dev.outbox.relay.source.pgoutput.BeginMessage;
import dev.outbox.relay.source.pgoutput.ChangeFilter;
import dev.outbox.relay.source.pgoutput.CommitMessage;
import dev.outbox.relay.source.pgoutput.InsertMessage;
import dev.outbox.relay.source.pgoutput.PgOutputDecoder;
import dev.outbox.relay.source.pgoutput.PgOutputMessage;
import dev.outbox.relay.source.pgoutput.SkippedMessage;
import dev.outbox.relay.source.pgoutput.SkippedMessage.SkipReason;
import dev.outbox.relay.source.pgoutput.TruncateMessage;
import dev.outbox.relay.slot.SlotHistory;
import dev.outbox.relay.slot.SlotHistoryRecord;
import dev.outbox.relay.slot.SlotHistoryRecorder;
import dev.outbox.relay.slot.SlotKey;
import dev.outbox.relay.slot.SlotRecreation;

/**
 * The relay's one reader thread: source → routing → sink, with the {@link LsnCheckpoint}
 * deciding what is confirmed.
 * <p>
 * Per replication session (one connection, one stream, one checkpoint) the thread reads
 * messages in WAL order, registers each outbox INSERT with the checkpoint before sending it, and
 * sends it without waiting; the producer's callback acknowledges it. Only
 * {@link LsnCheckpoint#confirmableLsn()} is ever reported to PostgreSQL, so a crash at any
 * instant re-sends from the last position whose events Kafka had all acknowledged.
 * <p>
 * Order per aggregate: events are handed to one producer in commit order; the key is the
 * aggregate id, so one aggregate's events share a partition; the idempotent producer keeps
 * per-partition order across retries and never expires a record (see
 * {@link dev.outbox.relay.sink.ProducerSettings}). A record the producer cannot take now is
 * offered again before anything behind it. After a reconnect or a restart the server re-sends
 * from the confirmed position, in the same order, so first occurrences stay in commit order.
 * <p>
 * The thread keeps status updates flowing (every {@code outbox.relay.status-interval}) while
 * it waits for capacity or for Kafka, so the server's {@code wal_sender_timeout} never fires.
 * <p>
 * Latency and throughput: after the COMMIT of a transaction that committed less than a second
 * ago (a live write, not a backlog), and whenever it has read everything the server sent, the
 * reader asks the sink to send at once what {@code linger.ms} holds back
 * ({@link KafkaEventSink#flushSoon()}, which never blocks the reader and coalesces requests
 * within {@code outbox.relay.live-flush-interval}); while it drains a backlog, batches fill for
 * throughput. Waiting for an empty read alone is not enough: under a steady load the next
 * transaction usually arrives while {@code readPending()} peeks at the socket, so the reader
 * seldom sees one, and live events would wait for {@code linger.ms}.
 */
public final class RelayPipeline {

	private static final Log logger = LogFactory.getLog(RelayPipeline.class);

	private static final int SLOT_IN_USE = 55006;

	/**
	 * How recent a transaction's commit must be for it to count as a live write, whose events
	 * are flushed to Kafka at once. A backlog (older transactions) keeps going out in batches
	 * that {@code linger.ms} fills.
	 */
	private static final long LIVE_MILLIS = 1_000;

	private final RelayProperties properties;

	private final ReplicationSetup setup;

	private final ConnectionSettings connectionSettings;

	private final KafkaEventSink sink;

	private final OutboxRecordMapper mapper;

	private final @Nullable TopicProvisioner topics;

	private final RelayStatus status;

	private final RelayMetrics metrics;

	private final SlotCreation slotCreation;

	private final SlotHistory slotHistory;

	private final SlotHistoryRecorder slotHistoryRecorder;

	private volatile @Nullable SlotKey slotKey;

	private volatile boolean running;

	private volatile @Nullable Thread thread;

	private volatile @Nullable LsnCheckpoint checkpoint;

	/** A retriable error the producer gave up on: the session must re-read from the confirmed position. */
	private volatile @Nullable Exception resendFrom;

	private boolean slotUsed;

	/**
	 * @param properties the relay's settings
	 * @param setup checks and DDL run before each session
	 * @param connectionSettings where the replication connection goes
	 * @param sink the Kafka producer
	 * @param mapper row to record
	 * @param topics creates missing topics, or {@code null}
	 * @param status where the state is published
	 * @param metrics where figures are published
	 * @param slotHistory what relays recorded of the slot, consulted before it is created
	 */
	public RelayPipeline(RelayProperties properties, ReplicationSetup setup, ConnectionSettings connectionSettings,
			KafkaEventSink sink, OutboxRecordMapper mapper, @Nullable TopicProvisioner topics, RelayStatus status,
			RelayMetrics metrics, SlotHistory slotHistory) {
		this.properties = properties;
		this.setup = setup;
		this.connectionSettings = connectionSettings;
		this.sink = sink;
		this.mapper = mapper;
		this.topics = topics;
		this.status = status;
		this.metrics = metrics;
		this.slotCreation = new SlotCreation(properties, setup, connectionSettings);
		this.slotHistory = slotHistory;
		this.slotHistoryRecorder = new SlotHistoryRecorder(slotHistory);
	}

	/**
	 * Creates the slot when it is missing and no snapshot is asked for, then starts the reader
	 * thread. Creating the slot before returning means every transaction committed after the
	 * relay has started is captured, even one committed before the reader connects.
	 * @throws SlotLostException when the slot is missing but a relay streamed it before
	 * @throws Exception when the slot cannot be created
	 */
	public synchronized void start() throws Exception {
		if (this.running) {
			return;
		}
		if (this.properties.getSnapshotMode() == RelayProperties.SnapshotMode.NEVER && this.setup.prepare() == null) {
			createSlot();
		}
		this.running = true;
		Thread reader = new Thread(this::run, "outbox-relay-reader");
		reader.setDaemon(false);
		this.thread = reader;
		reader.start();
	}

	/**
	 * Stops gracefully: stop reading, let Kafka acknowledge what is in flight, confirm, close.
	 * @param timeout how long to wait for the reader thread
	 */
	public void stop(Duration timeout) {
		this.running = false;
		Thread reader = this.thread;
		if (reader != null) {
			LockSupport.unpark(reader);
			try {
				reader.join(timeout.toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		this.status.set(RelayState.STOPPED, null);
	}

	/** @return the checkpoint of the current session, or {@code null} between sessions */
	public @Nullable LsnCheckpoint checkpoint() {
		return this.checkpoint;
	}

	private void run() {
		Backoff backoff = new Backoff(this.properties.getReconnectBackoff(), this.properties.getReconnectMaxBackoff());
		while (this.running) {
			try {
				session();
				backoff.reset();
			}
			catch (SlotInUseException ex) {
				this.status.set(RelayState.STANDBY, ex.getMessage());
				pause(this.properties.getStandbyRetryInterval());
			}
			catch (SlotLostException ex) {
				logger.error(ex.getMessage());
				this.status.fail(ex.getMessage(), null, 0);
				this.running = false;
			}
			catch (PermanentFailure ex) {
				logger.error(ex.getMessage(), ex.getCause());
				this.status.fail(ex.getMessage(), ex.eventId, ex.lsn);
				this.running = false;
			}
			catch (Exception ex) {
				Duration delay = backoff.next();
				String message = "Replication interrupted (" + ex.getMessage() + "); reconnecting in " + delay;
				logger.warn(message, logger.isDebugEnabled() ? ex : null);
				this.status.set(RelayState.RETRYING, message);
				pause(delay);
			}
		}
	}

	private void session() throws Exception {
		SlotStatus slot = this.setup.prepare();
		String slotName = this.properties.getSlotName();
		long startLsn;
		if (slot == null) {
			startLsn = createSlot();
		}
		else {
			startLsn = slot.confirmedFlushLsn();
		}
		try (ReplicationConnection connection = ReplicationConnection.open(this.connectionSettings.jdbcUrl(),
				this.connectionSettings.username(), this.connectionSettings.password())) {
			PGReplicationStream stream;
			try {
				stream = startStream(connection, slotName);
			}
			catch (SlotInUseException ex) {
				this.slotUsed = true;
				this.slotHistoryRecorder.standingBy(slotKey(), startLsn);
				throw ex;
			}
			this.slotUsed = true;
			this.slotHistoryRecorder.streaming(slotKey(), startLsn);
			this.status.set(RelayState.STREAMING, null);
			logger.info("Streaming slot " + slotName + " from " + LogSequenceNumber.valueOf(startLsn).asString());
			stream(stream, new LsnCheckpoint(this.properties.getMaxInFlight(), startLsn), connection.receiveClock());
		}
	}

	/**
	 * Creates the missing slot, unless a relay used it before (this process, or any relay whose
	 * record is in the slot history) and the operator did not allow recreation: the slot took the
	 * WAL of the events committed since with it, and a new one would start past them.
	 */
	private long createSlot() throws Exception {
		String slotName = this.properties.getSlotName();
		SlotKey key = slotKey();
		boolean allow = this.properties.isAllowSlotRecreation();
		@Nullable SlotHistoryRecord last = this.slotUsed && !allow ? null : this.slotHistory.lastRecord(key).orElse(null);
		@Nullable String refusal = SlotRecreation.refusal(last, this.slotUsed, allow, this.slotHistory.describe());
		if (refusal != null) {
			throw new SlotLostException(ReplicationSetup.droppedMessage(slotName) + ". " + refusal);
		}
		long lsn = this.slotCreation.create(this::publishSnapshot);
		boolean anew = last != null || this.slotUsed;
		this.slotHistoryRecorder.created(key, lsn, anew);
		if (anew) {
			logger.warn("Created replication slot " + slotName + " anew at " + LogSequenceNumber.valueOf(lsn).asString()
					+ " although it streamed before (" + SlotRecreation.OVERRIDE + "): events committed while no slot "
					+ "existed are not published. Set outbox.relay.allow-slot-recreation back to false");
		}
		return lsn;
	}

	private SlotKey slotKey() throws SQLException {
		SlotKey key = this.slotKey;
		if (key == null) {
			try (Connection connection = this.setup.dataSource().getConnection()) {
				key = SlotKey.read(connection, this.properties.getSlotName());
			}
			this.slotKey = key;
		}
		return key;
	}

	/**
	 * Publishes the rows of the snapshot exported at slot creation, and returns once Kafka has
	 * acknowledged every one of them (or throws): only then may the slot become permanent.
	 */
	private void publishSnapshot(SnapshotRows rows, long consistentPoint) throws Exception {
		LsnCheckpoint snapshot = new LsnCheckpoint(this.properties.getMaxInFlight(), consistentPoint);
		StatusReporter none = StatusReporter.none();
		snapshot.beginTransaction();
		OutboxRow row;
		int count = 0;
		while ((row = rows.next()) != null) {
			publish(row, row.createdAt().toEpochMilli(), snapshot, none);
			count++;
		}
		snapshot.commitTransaction(consistentPoint);
		while (snapshot.inFlight() > 0) {
			keepAlive(snapshot, none, "waiting for Kafka to acknowledge the initial snapshot");
			LockSupport.parkNanos(1_000_000);
		}
		checkFailure(snapshot);
		logger.info("Initial snapshot: published " + count + " existing outbox rows");
	}

	private PGReplicationStream startStream(ReplicationConnection connection, String slotName) throws SQLException {
		try {
			return connection.start(slotName, this.properties.getPublicationName(),
					this.properties.getStatusInterval().toMillis());
		}
		catch (SQLException ex) {
			if (String.valueOf(SLOT_IN_USE).equals(ex.getSQLState())) {
				throw new SlotInUseException("Replication slot " + slotName
						+ " is streamed by another relay; standing by to take over (" + ex.getMessage() + ")");
			}
			SlotStatus slot = this.setup.prepare();
			if (slot == null || slot.isLost()) {
				throw new SlotLostException((slot == null) ? ReplicationSetup.droppedMessage(slotName)
						: ReplicationSetup.lostMessage(slotName));
			}
			throw ex;
		}
	}

	private void stream(PGReplicationStream stream, LsnCheckpoint session, ReceiveClock server) throws Exception {
		this.checkpoint = session;
		this.metrics.checkpoint(session);
		PgOutputDecoder decoder = new PgOutputDecoder(
				ChangeFilter.insertsInto(this.setup.table().schema(), this.setup.table().table()));
		OutboxRowReader rows = new OutboxRowReader();
		StatusReporter reporter = new StatusReporter(stream, session, this.properties.getStatusInterval(),
				this.slotHistoryRecorder::confirmed);
		long commitMillis = 0;
		try {
			while (this.running) {
				checkFailure(session);
				ByteBuffer payload = stream.readPending();
				if (payload == null) {
					checkServerHeard(server);
					session.observeReceivedLsn(stream.getLastReceiveLSN().asLong());
					this.status.eventsWaiting(session.inFlight() > 0);
					flushIfLive(commitMillis); // caught up: what lingers goes now
					reporter.maybeReport();
					LockSupport.parkNanos(500_000);
					continue;
				}
				long lsn = stream.getLastReceiveLSN().asLong();
				PgOutputMessage message = decoder.decode(payload, lsn);
				if (message instanceof BeginMessage begin) {
					session.beginTransaction();
					commitMillis = begin.commitTime().toEpochMilli();
				}
				else if (message instanceof InsertMessage insert) {
					publish(read(rows, insert, lsn), commitMillis, session, reporter);
				}
				else if (message instanceof CommitMessage commit) {
					session.commitTransaction(commit.endLsn());
					session.observeReceivedLsn(lsn);
					flushIfLive(commitMillis);
				}
				else if (message instanceof SkippedMessage skipped && skipped.reason() != SkipReason.FILTERED
						&& skipped.reason() != SkipReason.NOT_NEEDED) {
					logger.warn("Skipped pgoutput message '" + skipped.type() + "' at LSN "
							+ LogSequenceNumber.valueOf(lsn).asString() + ": " + skipped.reason().description());
				}
				else if (message instanceof TruncateMessage) {
					logger.warn("TRUNCATE of a published table at LSN " + LogSequenceNumber.valueOf(lsn).asString()
							+ ": rows removed by TRUNCATE make no events (INSERTed rows were already published)");
				}
				reporter.maybeReport();
			}
			drain(session, reporter);
		}
		finally {
			this.checkpoint = null;
		}
	}

	private void publish(OutboxRow row, long commitMillis, LsnCheckpoint session, StatusReporter reporter)
			throws Exception {
		long ticket = register(row, session, reporter);
		ProducerRecord<byte[], byte[]> record;
		try {
			record = this.mapper.toRecord(row);
		}
		catch (InvalidOutboxRowException ex) {
			this.sink.reject(this.mapper.unmappedRecord(row), ex,
					new EventDelivery(row, ticket, session, commitMillis, null));
			return;
		}
		if (this.topics != null) {
			ensureTopic(record.topic(), session, reporter);
		}
		EventDelivery delivery = new EventDelivery(row, ticket, session, commitMillis, record.topic());
		this.status.eventsWaiting(true);
		while (!this.sink.trySend(record, delivery)) {
			this.status.set(RelayState.RETRYING, "Kafka does not accept records (no metadata or buffer full); retrying");
			keepAlive(session, reporter, "Kafka is unavailable");
		}
		if (this.status.state() == RelayState.RETRYING) {
			this.status.set(RelayState.STREAMING, null);
		}
	}

	/** A row that breaks the table contract cannot be published, nor skipped: the relay stops on it. */
	private static OutboxRow read(OutboxRowReader rows, InsertMessage insert, long lsn) {
		try {
			return rows.read(insert, lsn);
		}
		catch (InvalidOutboxRowException ex) {
			throw new PermanentFailure("Outbox row at LSN " + LogSequenceNumber.valueOf(lsn).asString()
					+ " breaks the table contract: " + ex.getMessage() + ". The relay stopped and confirms nothing "
					+ "past it; fix the writer, then restart the relay", "(unreadable row)", lsn, ex);
		}
	}

	private long register(OutboxRow row, LsnCheckpoint session, StatusReporter reporter) throws Exception {
		long ticket;
		while ((ticket = session.tryRegister(row.id(), row.lsn())) == LsnCheckpoint.NO_CAPACITY) {
			session.awaitCapacity(this.properties.getStatusInterval().toMillis(), TimeUnit.MILLISECONDS);
			keepAlive(session, reporter, "waiting for Kafka acknowledgements");
		}
		return ticket;
	}

	private void ensureTopic(String topic, LsnCheckpoint session, StatusReporter reporter) throws Exception {
		TopicProvisioner provisioner = this.topics;
		while (provisioner != null) {
			try {
				provisioner.ensure(topic, this.properties.getStatusInterval());
				return;
			}
			catch (IllegalStateException ex) {
				this.status.set(RelayState.RETRYING, ex.getMessage());
				keepAlive(session, reporter, "creating topic " + topic);
			}
		}
	}

	/**
	 * One turn of every wait inside a session (window capacity, an unavailable broker, a topic
	 * being created, the initial snapshot's acknowledgements): the server keeps getting status
	 * updates, a failure or a resend request ends the session, and a stop ends the wait. Dead
	 * letters need nothing from the reader: the sink sends them from a thread of its own.
	 */
	private void keepAlive(LsnCheckpoint session, StatusReporter reporter, String waitingFor) throws Exception {
		reporter.maybeReport();
		checkFailure(session);
		if (!this.running) {
			throw new InterruptedException("stopping while " + waitingFor);
		}
	}

	/** Live writes do not wait for linger.ms; a backlog (older commits) is left to fill batches. */
	private void flushIfLive(long commitMillis) {
		if (System.currentTimeMillis() - commitMillis < LIVE_MILLIS) {
			this.sink.flushSoon();
		}
	}

	/**
	 * The server answers each status update ({@link StatusReporter}, every status-interval), so a
	 * silence longer than replication-timeout means the link is gone even though no error shows:
	 * end the session, which reconnects with backoff (and stands by while the server still holds
	 * the slot for its old walsender).
	 */
	private void checkServerHeard(ReceiveClock server) throws ServerSilent {
		Duration timeout = this.properties.getReplicationTimeout();
		Duration silence = server.silence();
		if (!timeout.isZero() && silence.compareTo(timeout) > 0) {
			throw new ServerSilent("Nothing received from PostgreSQL for " + silence.toMillis() + " ms, more than "
					+ "outbox.relay.replication-timeout (" + timeout + "), although the relay asks for a reply every "
					+ "outbox.relay.status-interval: the replication connection is taken as lost");
		}
	}

	private void checkFailure(LsnCheckpoint session) throws ResendRequired {
		Exception dropped = this.resendFrom;
		if (dropped != null) {
			this.resendFrom = null;
			throw new ResendRequired("The producer dropped a record after a retriable error (" + dropped
					+ "); re-reading from the confirmed position", dropped);
		}
		FailedEvent failed = session.failure();
		if (failed != null) {
			throw new PermanentFailure("Event " + failed.eventId() + " (LSN " + failed.lsnText()
					+ ") cannot be published: " + failed.cause() + ". The relay stopped and confirms nothing past it. "
					+ "Fix the cause (for example the broker's message.max.bytes, or the producer's max.request.size "
					+ "under spring.kafka.producer.properties, or the writer's data) or set "
					+ "outbox.relay.dead-letter-topic, then restart the relay",
					failed.eventId(), failed.lsn(), failed.cause());
		}
	}

	/** On stop: wait (bounded) for in-flight acknowledgements, then confirm what is safe. */
	private void drain(LsnCheckpoint session, StatusReporter reporter) throws SQLException {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (session.inFlight() > 0 && session.failure() == null && System.nanoTime() < deadline) {
			LockSupport.parkNanos(1_000_000);
		}
		reporter.report();
		logger.info("Stopped; confirmed " + LogSequenceNumber.valueOf(session.confirmableLsn()).asString());
	}

	private void pause(Duration delay) {
		long deadline = System.nanoTime() + delay.toNanos();
		while (this.running && System.nanoTime() < deadline) {
			LockSupport.parkNanos(Math.min(deadline - System.nanoTime(), 100_000_000L));
		}
	}

	/**
	 * One event's outcome, bound to the session (checkpoint) that registered it: an outcome that
	 * arrives after its session ended touches only that session's checkpoint, never the ticket of
	 * the same number in a later one.
	 */
	private final class EventDelivery implements Delivery {

		private final String eventId;

		private final String eventType;

		private final String aggregateType;

		private final String aggregateId;

		private final long lsn;

		private final long ticket;

		private final LsnCheckpoint session;

		private final long commitMillis;

		private final @Nullable String topic;

		EventDelivery(OutboxRow row, long ticket, LsnCheckpoint session, long commitMillis, @Nullable String topic) {
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

		@Override
		public void acknowledged() {
			this.session.ack(this.ticket);
			RelayPipeline.this.status.kafkaAcknowledged();
			if (this.topic != null) {
				RelayPipeline.this.metrics.published(this.topic, this.commitMillis);
			}
		}

		@Override
		public void failed(Throwable error) {
			this.session.fail(this.ticket, error);
		}

		@Override
		public void resendRequired(Throwable error) {
			RelayPipeline.this.resendFrom = (error instanceof Exception exception) ? exception
					: new IllegalStateException(error);
		}

		@Override
		public String describe() {
			return "Event " + this.eventId + " (type " + this.eventType + ", aggregate " + this.aggregateType + " "
					+ this.aggregateId + ", LSN " + LogSequenceNumber.valueOf(this.lsn).asString() + ")";
		}

	}

	private static final class ServerSilent extends Exception {

		ServerSilent(String message) {
			super(message);
		}

	}

	private static final class ResendRequired extends Exception {

		ResendRequired(String message, Throwable cause) {
			super(message, cause);
		}

	}

	private static final class SlotInUseException extends RuntimeException {

		SlotInUseException(String message) {
			super(message);
		}

	}

	private static final class PermanentFailure extends RuntimeException {

		private final String eventId;

		private final long lsn;

		PermanentFailure(String message, String eventId, long lsn, Throwable cause) {
			super(message, cause);
			this.eventId = eventId;
			this.lsn = lsn;
		}

	}

}
