package dev.outbox.relay.pipeline;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.postgresql.replication.LogSequenceNumber;

import dev.outbox.relay.RelayProperties;
import dev.outbox.relay.checkpoint.LsnCheckpoint;
import dev.outbox.relay.event.MalformedEvent;
import dev.outbox.relay.event.OutboxRow;
import dev.outbox.relay.routing.OutboxRecordMapper;
import dev.outbox.relay.sink.EventSink;
import dev.outbox.relay.sink.KafkaEventSink;
import dev.outbox.relay.sink.TopicProvisioner;
import dev.outbox.relay.slot.SlotHistory;
import dev.outbox.relay.source.ChangeListener;
import dev.outbox.relay.source.ConnectionSettings;
import dev.outbox.relay.source.ReplicationSetup;
import dev.outbox.relay.source.ReplicationSource;
import dev.outbox.relay.source.SlotCreation;
import dev.outbox.relay.source.SlotInUseException;
import dev.outbox.relay.source.SlotLostException;
import dev.outbox.relay.source.SlotStatus;
import dev.outbox.relay.source.SnapshotRows;
import dev.outbox.relay.source.UnreadableRowException;

/**
 * Wires the relay's roles on its one reader thread: source ({@link ReplicationSource}) → routing
 * and sink ({@link EventPublisher}) → checkpoint ({@link LsnCheckpoint}), with the
 * {@link SlotGuard} deciding whether a missing slot may be created. The roles do not know each
 * other; this class and the small classes beside it are the only place they meet.
 * <p>
 * Per replication session (one connection, one stream, one checkpoint) the thread reads messages
 * in WAL order, registers each outbox INSERT with the checkpoint before sending it, and sends it
 * without waiting; the event's delivery acknowledges it. Only
 * {@link LsnCheckpoint#confirmableLsn()} is ever reported to PostgreSQL, so a crash at any instant
 * re-sends from the last position whose events Kafka had all acknowledged.
 * <p>
 * Order per aggregate: events are handed to one producer in commit order; the key is the
 * aggregate id, so one aggregate's events share a partition; the idempotent producer keeps
 * per-partition order across retries and never expires a record (see
 * {@link dev.outbox.relay.sink.ProducerSettings}). A record the producer cannot take now is
 * offered again before anything behind it, and a record Kafka rejects for good keeps everything
 * sent after it out of Kafka ({@link KafkaEventSink}). After a reconnect or a restart the server
 * re-sends from the confirmed position, in the same order, so first occurrences stay in commit
 * order.
 * <p>
 * Every wait inside a session turns through {@link Session#keepAlive}, so status updates keep
 * flowing (every {@code outbox.relay.status-interval}) and the server's {@code wal_sender_timeout}
 * never fires, and a failure or a stop ends the wait.
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

	private final RelayProperties properties;

	private final ReplicationSetup setup;

	private final ConnectionSettings connectionSettings;

	private final EventPublisher publisher;

	private final RelayStatus status;

	private final RelayMetrics metrics;

	private final SlotGuard slotGuard;

	private final String threadName;

	private volatile boolean running;

	private volatile @Nullable Thread thread;

	private volatile @Nullable LsnCheckpoint checkpoint;

	/** Set by {@link #release}: how long to stand by once the current session has ended. */
	private volatile @Nullable Duration releaseHoldOff;

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
			EventSink sink, OutboxRecordMapper mapper, @Nullable TopicProvisioner topics, RelayStatus status,
			RelayMetrics metrics, SlotHistory slotHistory) {
		this(properties, setup, connectionSettings, sink, mapper, topics, status, metrics, slotHistory,
				"outbox-relay-reader");
	}

	/**
	 * A pipeline of one of several sources, its reader thread named after it.
	 * @param properties the source's settings
	 * @param setup checks and DDL run before each session
	 * @param connectionSettings where the replication connection goes
	 * @param sink the source's Kafka producer
	 * @param mapper row to record
	 * @param topics creates missing topics, or {@code null}
	 * @param status where the state is published
	 * @param metrics where figures are published
	 * @param slotHistory what relays recorded of the slot, consulted before it is created
	 * @param threadName name of the reader thread
	 */
	public RelayPipeline(RelayProperties properties, ReplicationSetup setup, ConnectionSettings connectionSettings,
			EventSink sink, OutboxRecordMapper mapper, @Nullable TopicProvisioner topics, RelayStatus status,
			RelayMetrics metrics, SlotHistory slotHistory, String threadName) {
		this.threadName = threadName;
		this.properties = properties;
		this.setup = setup;
		this.connectionSettings = connectionSettings;
		this.publisher = new EventPublisher(sink, mapper, topics, status, metrics, properties.getStatusInterval());
		this.status = status;
		this.metrics = metrics;
		this.slotGuard = new SlotGuard(setup, new SlotCreation(setup, connectionSettings), slotHistory,
				properties.getSlotName(), properties.isAllowSlotRecreation());
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
			this.slotGuard.create(this::publishSnapshot);
		}
		startReader();
	}

	/**
	 * Starts the reader thread without the checks and slot creation of {@link #start()}: for a
	 * source whose database does not answer at start, which the reader keeps trying with backoff
	 * while the relay's other sources stream.
	 * @param reason why the source starts retrying, for health
	 */
	public synchronized void startRetrying(String reason) {
		this.status.set(RelayState.RETRYING, reason);
		startReader();
	}

	private void startReader() {
		if (this.running) {
			return;
		}
		this.running = true;
		Thread reader = new Thread(this::run, this.threadName);
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

	/**
	 * Hands the slot to another relay (balancing): ends the current session as a stop does (stop
	 * reading, let Kafka acknowledge what is in flight, confirm it, close the connection), then
	 * stands by for {@code holdOff} before it tries the slot again, so that a relay standing by
	 * for it takes it meanwhile. If none does, this one streams it again after the hold-off. The
	 * state is {@code STANDBY} from the moment the release begins, before the connection closes,
	 * so two relays never both report the slot as streaming.
	 * @param holdOff how long to leave the slot to others
	 * @return whether the pipeline was streaming and now releases the slot
	 */
	public boolean release(Duration holdOff) {
		if (!this.running || this.status.state() != RelayState.STREAMING || this.releaseHoldOff != null) {
			return false;
		}
		this.releaseHoldOff = holdOff;
		return true;
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
				Duration holdOff = this.releaseHoldOff;
				if (holdOff != null) {
					pause(holdOff);
					this.releaseHoldOff = null;
				}
			}
			catch (SlotInUseException ex) {
				this.releaseHoldOff = null;
				this.status.set(RelayState.STANDBY, ex.getMessage());
				pause(this.properties.getStandbyRetryInterval());
			}
			catch (SlotLostException ex) {
				stopFailed(ex.getMessage(), null, 0, null);
			}
			catch (UnreadableRowException ex) {
				stopFailed(ex.getMessage(), "(unreadable row)", ex.lsn(), ex.getCause());
			}
			catch (PermanentFailure ex) {
				stopFailed(ex.getMessage(), ex.eventId(), ex.lsn(), ex.getCause());
			}
			catch (Exception ex) {
				this.releaseHoldOff = null;
				Duration delay = backoff.next();
				String message = "Replication interrupted (" + ex.getMessage() + "); reconnecting in " + delay;
				logger.warn(message, logger.isDebugEnabled() ? ex : null);
				this.status.set(RelayState.RETRYING, message);
				pause(delay);
			}
		}
	}

	private void stopFailed(String message, @Nullable String eventId, long lsn, @Nullable Throwable cause) {
		logger.error(message, cause);
		this.status.fail(message, eventId, lsn);
		this.running = false;
	}

	private void session() throws Exception {
		SlotStatus slot = this.setup.prepare();
		if (slot != null) {
			this.slotGuard.checkExisting(slot);
		}
		long startLsn = (slot != null) ? slot.confirmedFlushLsn() : this.slotGuard.create(this::publishSnapshot);
		LsnCheckpoint checkpoint = new LsnCheckpoint(this.properties.getMaxInFlight(), startLsn);
		try (ReplicationSource source = startSource(checkpoint, startLsn)) {
			this.slotGuard.streaming(startLsn);
			this.status.set(RelayState.STREAMING, null);
			logger.info("Streaming slot " + this.properties.getSlotName() + " from "
					+ LogSequenceNumber.valueOf(startLsn).asString());
			stream(source, new Session(checkpoint, source.reporter(), () -> this.running));
		}
	}

	private ReplicationSource startSource(LsnCheckpoint checkpoint, long startLsn) throws Exception {
		String slotName = this.properties.getSlotName();
		ReplicationSource.StreamSettings stream = new ReplicationSource.StreamSettings(slotName,
				this.properties.getPublicationName(), this.properties.getStatusInterval(),
				this.properties.getReplicationTimeout(), this.setup.settings().shard() != null);
		try {
			return ReplicationSource.start(this.connectionSettings, stream, this.setup.table(),
					checkpoint::confirmableLsn, this.slotGuard::confirmed);
		}
		catch (SlotInUseException ex) {
			this.slotGuard.standingBy(startLsn);
			throw ex;
		}
		catch (SQLException ex) {
			SlotStatus slot = this.setup.prepare();
			if (slot == null || slot.isLost()) {
				throw new SlotLostException((slot == null) ? ReplicationSetup.droppedMessage(slotName)
						: ReplicationSetup.lostMessage(slotName, slot.invalidation()));
			}
			throw ex;
		}
	}

	private void stream(ReplicationSource source, Session session) throws Exception {
		LsnCheckpoint checkpoint = session.checkpoint();
		this.checkpoint = checkpoint;
		CommitLag lag = new CommitLag();
		this.metrics.session(checkpoint, lag);
		Reading reading = new Reading(session, lag);
		try {
			while (this.running && this.releaseHoldOff == null) {
				session.checkFailure();
				if (!source.poll(reading)) {
					LockSupport.parkNanos(500_000);
				}
			}
			// No longer streaming from here, before the connection closes and another relay can take the slot.
			if (this.running) {
				this.status.set(RelayState.STANDBY, "Released slot " + this.properties.getSlotName()
						+ " so that another relay streams it (balancing); standing by");
				logger.info("Releasing slot " + this.properties.getSlotName() + " to another relay (balancing)");
			}
			else {
				this.status.set(RelayState.STOPPED, null);
			}
			drain(checkpoint, source);
		}
		finally {
			this.checkpoint = null;
			this.metrics.sessionEnded();
		}
	}

	/** What the source reads, handed to the checkpoint and the publisher. */
	private final class Reading implements ChangeListener {

		private final Session session;

		private final CommitLag lag;

		private long commitMillis;

		Reading(Session session, CommitLag lag) {
			this.session = session;
			this.lag = lag;
		}

		@Override
		public void begin(long commitMillis) {
			this.session.checkpoint().beginTransaction();
			this.commitMillis = commitMillis;
			this.lag.begin(commitMillis);
		}

		@Override
		public void row(OutboxRow row) throws Exception {
			this.lag.event();
			RelayPipeline.this.publisher.publish(row, this.commitMillis, this.session);
		}

		@Override
		public void malformed(MalformedEvent event) throws Exception {
			this.lag.event();
			RelayPipeline.this.publisher.refuse(event, this.commitMillis, this.session);
		}

		@Override
		public void commit(long endLsn, long receivedLsn) {
			this.session.checkpoint().commitTransaction(endLsn);
			this.lag.commit(endLsn, this.session.checkpoint().confirmableLsn());
			this.session.checkpoint().observeReceivedLsn(receivedLsn);
			RelayPipeline.this.publisher.flushIfLive(this.commitMillis);
		}

		@Override
		public void caughtUp(long receivedLsn) {
			this.session.checkpoint().observeReceivedLsn(receivedLsn);
			RelayPipeline.this.status.eventsWaiting(this.session.checkpoint().inFlight() > 0);
			RelayPipeline.this.publisher.flushIfLive(this.commitMillis); // caught up: what lingers goes now
		}

	}

	private void publishSnapshot(SnapshotRows rows, long consistentPoint) throws Exception {
		int count = this.publisher.publishSnapshot(rows, consistentPoint, this.properties.getMaxInFlight(),
				() -> this.running);
		logger.info("Initial snapshot: published " + count + " existing outbox rows");
	}

	/** On stop: wait (bounded) for in-flight acknowledgements, then confirm what is safe. */
	private void drain(LsnCheckpoint checkpoint, ReplicationSource source) throws SQLException {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (checkpoint.inFlight() > 0 && checkpoint.failure() == null && System.nanoTime() < deadline) {
			LockSupport.parkNanos(1_000_000);
		}
		source.confirmNow();
		this.slotGuard.stopped();
		logger.info("Stopped; confirmed " + LogSequenceNumber.valueOf(checkpoint.confirmableLsn()).asString());
	}

	private void pause(Duration delay) {
		long deadline = System.nanoTime() + delay.toNanos();
		while (this.running && System.nanoTime() < deadline) {
			LockSupport.parkNanos(Math.min(deadline - System.nanoTime(), 100_000_000L));
		}
	}

}
