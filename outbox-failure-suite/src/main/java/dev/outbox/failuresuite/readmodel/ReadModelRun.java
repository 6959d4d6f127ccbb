package dev.outbox.failuresuite.readmodel;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;
import org.awaitility.core.ConditionTimeoutException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import dev.outbox.failuresuite.lab.Capture;
import dev.outbox.failuresuite.lab.Evidence.Observation;
import dev.outbox.failuresuite.lab.Sink;
import dev.outbox.failuresuite.rig.LogLines;
import dev.outbox.failuresuite.lab.Workload;
import dev.outbox.failuresuite.rig.RelayProcess;
import dev.outbox.failuresuite.scenario.ScenarioRun;
import dev.outbox.failuresuite.scenario.WorkloadCheck;
import dev.outbox.failuresuite.check.TopicAudit;
import dev.outbox.starter.Outbox;
import dev.outbox.starter.inbox.Inbox;
import dev.outbox.testsupport.JavaProcess;
import dev.outbox.testsupport.delivery.Delivery;

import static org.awaitility.Awaitility.await;

/**
 * One run of an item workload ({@code read-model}, {@code search-index}, {@code audit-log}) on a
 * failure-suite {@link ScenarioRun}: its tables in the run's database, a topic, the consumer and
 * the workload's {@link ItemSink}, the writer, and the capture (our relay, or a poller as a child
 * JVM); the faults the workload makes possible; and, as the run's {@link WorkloadCheck}, the drain
 * and the sink's comparison of what it holds and of the topic with the source.
 */
public final class ReadModelRun implements WorkloadCheck {

	/** System property with the pollers' interval in milliseconds; also environment {@value #INTERVAL_VARIABLE}. */
	public static final String INTERVAL_PROPERTY = "outbox.lab.poll-interval-ms";

	/** Environment variable with the pollers' interval in milliseconds. */
	public static final String INTERVAL_VARIABLE = "OUTBOX_LAB_POLL_INTERVAL_MS";

	/** The pollers' interval unless set. */
	public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(100);

	private static final int BATCH = 500;

	private static final Duration PATIENCE = Duration.ofMinutes(1);

	private final ScenarioRun run;

	private final Capture capture;

	private final String topic;

	private final JdbcTemplate jdbc;

	private final ItemSink sink;

	private final ProjectionConsumer consumer;

	private final TransactionTemplate transactions;

	private final ItemWrites writes;

	private final String id;

	private final Duration interval;

	private final long parkAfterBatch;

	private @Nullable JavaProcess poller;

	/** Times the run's pollers logged that they parked at their kill point. */
	private long parked;

	private final @Nullable RelayProcess relay;

	private final @Nullable AfterCommitSender sender;

	private final ReadModelWriter writer;

	private long lateItems;

	private boolean closed;

	private ReadModelRun(ScenarioRun run, String id, Workload workload, Capture capture, Sink sink, Duration interval,
			int changesPerSecond, long parkAfterBatch) {
		this.run = run;
		this.id = id;
		this.interval = interval;
		this.parkAfterBatch = parkAfterBatch;
		this.capture = capture;
		this.topic = run.topic(ItemChange.AGGREGATE_TYPE);
		this.jdbc = run.jdbc();
		this.sink = ItemSink.of(workload);
		ReadModelSchema.create(this.jdbc);
		this.sink.create(this.jdbc);
		run.rig().createTopic(this.topic);
		this.transactions = run.bean(TransactionTemplate.class);
		boolean inbox = sink == Sink.IDEMPOTENT && !this.sink.idempotentByVersion();
		this.consumer = new ProjectionConsumer(run.rig().kafka().bootstrapServers(), this.topic, this.transactions,
				this.jdbc, this.sink, inbox ? run.bean(Inbox.class) : null);
		this.sender = (capture == Capture.DUAL_WRITE)
				? new AfterCommitSender(run.rig().kafka().bootstrapServers(), this.topic) : null;
		this.writes = new ItemWrites(this.jdbc, capture == Capture.POLLING_OUTBOX,
				(capture == Capture.LOG) ? run.bean(Outbox.class) : null, this.sender);
		if (capture == Capture.LOG) {
			this.poller = null;
			this.relay = run.startRelay("relay");
			run.note("our relay, as the failure suite runs it; one writer, " + changesPerSecond + " changes/s");
		}
		else if (capture == Capture.DUAL_WRITE) {
			this.poller = null;
			this.relay = null;
			run.note("save, then send: each change sent after its commit, the send awaited; one writer, "
					+ changesPerSecond + " changes/s");
		}
		else {
			this.relay = null;
			this.poller = poller(parkAfterBatch).start();
			run.note(capture.option() + " polling every " + interval.toMillis() + " ms, batches of up to " + BATCH
					+ "; one writer, " + changesPerSecond + " changes/s"
					+ ((parkAfterBatch > 0) ? "; each poller parks after Kafka acknowledged its batch " + parkAfterBatch
							+ ", before recording it, and is killed there" : ""));
		}
		this.writer = new ReadModelWriter(this.transactions, this.jdbc, this.writes, changesPerSecond, id.hashCode());
		run.judgeBy(this);
	}

	/** @param parkAfterBatch the poller's kill point ({@link KillPoint}), 0 for none */
	private JavaProcess poller(long parkAfterBatch) {
		return new JavaProcess("poller " + this.capture.option(), JavaProcess.currentClasspath(),
				List.of("-Xmx128m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
						"-D" + KillPoint.PROPERTY + "=" + parkAfterBatch),
				PollerService.class.getName(),
				List.of(pollerKind(this.capture), this.run.rig().jdbcUrl(this.run.slot()),
						this.run.rig().kafka().bootstrapServers(), this.topic, String.valueOf(this.interval.toMillis()),
						String.valueOf(BATCH)),
				pollerLog());
	}

	private Path pollerLog() {
		return this.run.rig().logs().resolve(this.id + "-poller.log");
	}

	/**
	 * Sets the workload up and starts writing; the run judges by it from then on.
	 * @param run the scenario's run (its database, the rig)
	 * @param id the scenario's id, for the topic and the logs
	 * @param workload {@code read-model}, {@code search-index} or {@code audit-log}: which sink the consumer fills
	 * @param capture {@code polling-table}, {@code polling-outbox}, {@code dual-write} or {@code log} (our relay)
	 * @param sink how the consumer applies deliveries
	 * @param changesPerSecond the writer's pace
	 * @param parkAfterBatch for {@code poller-kill-9}: the acknowledged batch of each poller process after
	 * which it parks at its {@link KillPoint}, to be killed there by {@link #killPoller(boolean)}; 0 for never
	 * @return the running workload
	 */
	public static ReadModelRun start(ScenarioRun run, String id, Workload workload, Capture capture, Sink sink,
			int changesPerSecond, long parkAfterBatch) {
		return new ReadModelRun(run, id, workload, capture, sink, interval(), changesPerSecond, parkAfterBatch);
	}

	/** @return the pollers' interval: {@value #INTERVAL_PROPERTY}, else {@value #INTERVAL_VARIABLE}, else 100 ms */
	public static Duration interval() {
		String configured = System.getProperty(INTERVAL_PROPERTY, System.getenv(INTERVAL_VARIABLE));
		if (configured == null || configured.isBlank()) {
			return DEFAULT_INTERVAL;
		}
		try {
			long millis = Long.parseLong(configured.trim());
			if (millis >= 1) {
				return Duration.ofMillis(millis);
			}
		}
		catch (NumberFormatException ex) {
			// the message below
		}
		throw new IllegalArgumentException(INTERVAL_PROPERTY + " (or " + INTERVAL_VARIABLE
				+ ") must be a whole number of milliseconds, at least 1, was '" + configured + "'");
	}

	private static String pollerKind(Capture capture) {
		return switch (capture) {
			case POLLING_TABLE -> "table";
			case POLLING_OUTBOX -> "outbox";
			default -> throw new IllegalArgumentException("capture " + capture.option() + " is not a poller");
		};
	}

	/**
	 * Waits until the source has committed {@code changes} more changes.
	 * @param changes how many more
	 */
	public void awaitProgress(long changes) {
		long target = ReadModelSchema.committedChanges(this.jdbc) + changes;
		await("writer committing " + changes + " more changes").atMost(PATIENCE)
			.pollInterval(Duration.ofMillis(50))
			.until(() -> ReadModelSchema.committedChanges(this.jdbc) >= target);
	}

	/**
	 * Waits until the sink holds {@code rows} items.
	 * @param rows how many
	 */
	public void awaitProjected(long rows) {
		await("sink holding " + rows + " items").atMost(PATIENCE)
			.pollInterval(Duration.ofMillis(50))
			.until(() -> count("SELECT count(*) FROM " + ItemSink.REACHED) >= rows);
	}

	/**
	 * Fault {@code delete}.
	 * @param rows how many rows the sink holds to delete
	 * @return the rows deleted
	 */
	public List<Long> delete(int rows) {
		return done(this.writer.deleteProjected(rows));
	}

	/**
	 * Fault {@code update-then-delete}.
	 * @param rows how many rows the sink holds to update, then delete at once
	 * @return the rows
	 */
	public List<Long> updateThenDelete(int rows) {
		return done(this.writer.updateThenDeleteProjected(rows));
	}

	/**
	 * Fault {@code long-transaction}: a transaction inserts a new item (and, for
	 * {@code polling-outbox}, its outbox row) and holds its commit until a change committed after
	 * it started has reached the sink, then commits.
	 * @return the item it wrote
	 */
	public long longTransaction() {
		long id = ReadModelSchema.FAULT_ITEMS + (++this.lateItems);
		this.transactions.executeWithoutResult((status) -> {
			ItemChange change = this.writes.upsert(id, "late");
			Timestamp started = ItemChange.timestamp(change.updatedAtMicros());
			await("a change committed after the long transaction started, in the sink").atMost(PATIENCE)
				.pollInterval(Duration.ofMillis(20))
				.until(() -> count("SELECT count(*) FROM " + ItemSink.REACHED + " WHERE updated_at > ?", started) > 0);
		});
		return id;
	}

	/**
	 * Fault {@code poller-kill-9}: SIGKILL of the poller at its kill point, after Kafka acknowledged
	 * a batch and before the poller recorded it (the poller logs that it parked there, and is killed
	 * then), a restart at once, and a wait until it delivers again (so that the next kill hits a
	 * running poller). The batch is in Kafka and not recorded: the restarted poller sends it again.
	 * Without a kill point ({@code parkAfterBatch} 0), wherever the poller is.
	 * @param parkAgain whether the restarted poller parks at its kill point too (every round but the
	 * last, so that the run ends with a poller that drains)
	 */
	public void killPoller(boolean parkAgain) {
		JavaProcess poller = this.poller;
		if (poller == null) {
			throw new IllegalStateException("capture " + this.capture.option() + " has no poller to kill");
		}
		if (this.parkAfterBatch > 0) {
			await("the poller parked after Kafka acknowledged a batch, before recording it").atMost(PATIENCE)
				.pollInterval(Duration.ofMillis(20))
				.until(() -> parkedInLog() > this.parked);
			this.parked = parkedInLog();
		}
		poller.kill();
		Timestamp restarted = this.jdbc.queryForObject("SELECT now()", Timestamp.class);
		this.poller = poller(parkAgain ? this.parkAfterBatch : 0).start();
		awaitDeliveringAfter(restarted, "the restarted poller delivering");
	}

	/**
	 * Fault {@code relay-kill-9}: SIGKILL of our relay, wherever it is, a restart at once, and a wait
	 * until it delivers again (so that the next kill hits a running relay). What it had sent and not
	 * confirmed it sends again.
	 */
	public void killRelay() {
		RelayProcess relay = this.relay;
		if (relay == null) {
			throw new IllegalStateException("capture " + this.capture.option() + " has no relay to kill");
		}
		relay.kill();
		Timestamp restarted = this.jdbc.queryForObject("SELECT now()", Timestamp.class);
		this.run.restartRelay(relay);
		awaitDeliveringAfter(restarted, "the restarted relay delivering");
	}

	/**
	 * Fault {@code kill-between-commit-and-send} (capture {@code dual-write}): the service dies after
	 * the commit of its next change and before that change's send ({@link AfterCommitSender}).
	 * @return the change committed and never sent
	 */
	public ItemChange killBetweenCommitAndSend() {
		AfterCommitSender sender = this.sender;
		if (sender == null) {
			throw new IllegalStateException("capture " + this.capture.option() + " has no send after commit");
		}
		return done(sender.dieBeforeNextSend());
	}

	private void awaitDeliveringAfter(Timestamp restarted, String what) {
		await(what).atMost(PATIENCE)
			.pollInterval(Duration.ofMillis(20))
			.until(() -> count("SELECT count(*) FROM " + ItemSink.REACHED + " WHERE updated_at > ?", restarted) > 0);
	}

	/** @return how many times the run's pollers logged that they parked at their kill point */
	private long parkedInLog() {
		return LogLines.startingWith(pollerLog(), KillPoint.PARKED);
	}

	@Override
	public Judgement judge(Set<Observation> observed) {
		this.writer.close();
		try {
			await("the capture reaching every change").atMost(PATIENCE)
				.pollInterval(Duration.ofMillis(100))
				.ignoreExceptions()
				.until(this::captured);
		}
		catch (ConditionTimeoutException ex) {
			this.run.note("the capture did not reach every change within " + PATIENCE.toSeconds() + " s");
		}
		List<Delivery> deliveries = TopicAudit.read(this.run.rig().kafka().bootstrapServers(), this.topic,
				ReadModelCheck::delivery);
		Map<TopicPartition, Long> end = new HashMap<>();
		for (Delivery delivery : deliveries) {
			end.merge(new TopicPartition(this.topic, delivery.partition()), delivery.offset() + 1, Math::max);
		}
		try {
			await("the sink applying every record").atMost(PATIENCE)
				.pollInterval(Duration.ofMillis(100))
				.until(() -> this.consumer.appliedUpTo(end));
		}
		catch (ConditionTimeoutException ex) {
			this.run.note("the sink did not apply every record within " + PATIENCE.toSeconds() + " s");
		}
		if (this.writer.failures() > 0) {
			this.run.note("writer: " + this.writer.failures() + " transactions failed");
		}
		return this.sink.judge(this.jdbc, deliveries, this.consumer.redeliveriesSkipped(),
				this.consumer.effectsAppliedMoreThanOnce(), observed);
	}

	/** @return whether the capture has nothing left to send: past the poller's mark, unsent, or (the relay) not in the topic */
	private boolean captured() {
		return switch (this.capture) {
			case POLLING_TABLE -> ReadModelSchema.behindTablePoller(this.jdbc) == 0;
			case POLLING_OUTBOX -> ReadModelSchema.unsentOutboxRows(this.jdbc) == 0;
			case DUAL_WRITE -> true; // each send awaited after its commit, and the writer stopped: nothing in flight
			default -> TopicAudit.read(this.run.rig().kafka().bootstrapServers(), this.topic, ReadModelCheck::delivery)
				.stream()
				.map(Delivery::event)
				.distinct()
				.count() >= ReadModelSchema.committedChanges(this.jdbc);
		};
	}

	private long count(String sql, Object... arguments) {
		Long count = this.jdbc.queryForObject(sql, Long.class, arguments);
		return (count != null) ? count : 0;
	}

	private static <T> T done(CompletableFuture<T> fault) {
		try {
			return fault.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("fault failed: " + ex.getCause(), ex.getCause());
		}
		catch (TimeoutException ex) {
			throw new IllegalStateException("fault not done within " + PATIENCE.toSeconds() + " s", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while a fault ran", ex);
		}
	}

	@Override
	public synchronized void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		this.writer.close();
		JavaProcess current = this.poller;
		if (current != null) {
			current.kill();
		}
		if (this.sender != null) {
			this.sender.close();
		}
		this.consumer.close();
	}

}
