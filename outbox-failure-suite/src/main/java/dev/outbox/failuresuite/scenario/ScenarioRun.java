package dev.outbox.failuresuite.scenario;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import dev.outbox.failuresuite.SuiteSize;
import dev.outbox.failuresuite.check.Figures;
import dev.outbox.failuresuite.check.ScenarioResult;
import dev.outbox.failuresuite.check.SequencedEvents;
import dev.outbox.failuresuite.check.TopicAudit;
import dev.outbox.failuresuite.lab.DecisionTable;
import dev.outbox.failuresuite.lab.Evidence.Observation;
import dev.outbox.failuresuite.lab.Finding;
import dev.outbox.failuresuite.lab.Pipeline;
import dev.outbox.failuresuite.lab.Sink;
import dev.outbox.failuresuite.rig.DatabaseServer;
import dev.outbox.failuresuite.rig.FailoverServers;
import dev.outbox.failuresuite.rig.RelayLaunch;
import dev.outbox.failuresuite.rig.RelayProcess;
import dev.outbox.failuresuite.rig.Rig;
import dev.outbox.failuresuite.variant.VariantRelays;
import dev.outbox.failuresuite.workload.AccountChanged;
import dev.outbox.failuresuite.workload.InboxConsumer;
import dev.outbox.failuresuite.workload.OutboxTransactions;
import dev.outbox.failuresuite.workload.Schema;
import dev.outbox.failuresuite.workload.TransactionWriter;
import dev.outbox.failuresuite.workload.WorkloadApplication;
import dev.outbox.failuresuite.workload.WriterService;
import dev.outbox.failuresuite.workload.Writers;
import dev.outbox.starter.Outbox;
import dev.outbox.starter.inbox.Inbox;
import dev.outbox.testsupport.JavaProcess;
import dev.outbox.testsupport.delivery.Delivery;
import dev.outbox.testsupport.delivery.DeliveryCheck;

import static org.awaitility.Awaitility.await;

/**
 * One scenario's pipeline and bookkeeping: a database of its own with the workload's tables, the
 * service (writers and the inbox consumer, in-process), a topic, relays from the jar (through the
 * rig's proxies) on a slot of its own, and the faults and recoveries it records.
 * <p>
 * Recovery is measured from the end of a fault ({@link #healed()}, taken when the link is
 * restored, the process restarted) until the consumer has applied every event the database had
 * committed at that moment.
 */
public final class ScenarioRun implements AutoCloseable {

	/** {@code outbox.relay.replication-timeout} of the suite's relays: shorter than every stall. */
	public static final String REPLICATION_TIMEOUT = "3s";

	private static final Duration RECOVERY_TIMEOUT = Duration.ofMinutes(3);

	private final Rig rig;

	/** Where the scenario's database lives: the rig's cluster, or a primary with a standby of its own. */
	private final DatabaseServer server;

	private final SuiteSize size;

	private final String id;

	private final String database;

	private final String slot;

	private final String topicPrefix;

	private final String writeMode;

	/** The relay the pipeline runs: shipped, or the lab variant of its key or checkpoint. */
	private final RelayLaunch launch;

	private final ConfigurableApplicationContext application;

	private final JdbcTemplate jdbc;

	private final InboxConsumer consumer;

	/** Whether the consumer applies every delivery: its counters then say how often, not which events. */
	private final boolean naiveSink;

	private final List<RelayProcess> relays = new ArrayList<>();

	private final List<JavaProcess> services = new ArrayList<>();

	private final List<Duration> recoveries = new ArrayList<>();

	private final List<String> unmet = new ArrayList<>();

	private final List<String> notes = new ArrayList<>();

	private final Set<Observation> observed = EnumSet.noneOf(Observation.class);

	private @Nullable Writers writers;

	private @Nullable WorkloadCheck check;

	private int faults;

	private ScenarioRun(Rig rig, DatabaseServer server, SuiteSize size, String id, String writeMode, Pipeline pipeline,
			ConfigurableApplicationContext application) {
		this.rig = rig;
		this.server = server;
		this.writeMode = writeMode;
		this.launch = VariantRelays.launch(pipeline);
		this.size = size;
		this.id = id;
		this.database = database(id);
		this.slot = database(id);
		this.topicPrefix = "fs-" + id;
		this.application = application;
		this.jdbc = application.getBean(JdbcTemplate.class);
		Schema.create(this.jdbc, size.aggregates());
		rig.createTopic(topic());
		this.naiveSink = pipeline.sink() == Sink.NAIVE;
		this.consumer = new InboxConsumer(rig.kafka().bootstrapServers(), topic(), "fs-" + id + "-consumer",
				application.getBean(TransactionTemplate.class), this.jdbc,
				this.naiveSink ? InboxConsumer.NAIVE : InboxConsumer.throughInbox(application.getBean(Inbox.class)));
	}

	/**
	 * Creates the scenario's database, starts the service and its consumer.
	 * @param rig the suite's servers
	 * @param size the run's size
	 * @param id the scenario's id
	 * @param writeMode the service's {@code outbox.write-mode}
	 * @return the run
	 */
	public static ScenarioRun open(Rig rig, SuiteSize size, String id, String writeMode) {
		return open(rig, size, id, writeMode, Pipeline.OURS);
	}

	/**
	 * Creates the scenario's database, starts the service and its consumer, for a pipeline's
	 * consumer (through the inbox, or the lab's naive one) and relay (shipped, or a lab variant).
	 * @param rig the suite's servers
	 * @param size the run's size
	 * @param id the scenario's id
	 * @param writeMode the service's {@code outbox.write-mode}
	 * @param pipeline the cell's pipeline
	 * @return the run
	 */
	public static ScenarioRun open(Rig rig, SuiteSize size, String id, String writeMode, Pipeline pipeline) {
		return open(rig, rig, size, id, writeMode, pipeline);
	}

	/**
	 * Creates the scenario's database on a server of its own, starts the service and its consumer.
	 * @param rig the suite's servers: Kafka, the proxies, the relay jar
	 * @param server where the database lives; its {@link DatabaseServer#dropDatabase} ends it with the run
	 * @param size the run's size
	 * @param id the scenario's id
	 * @param writeMode the service's {@code outbox.write-mode}
	 * @param pipeline the cell's pipeline
	 * @return the run
	 */
	public static ScenarioRun open(Rig rig, DatabaseServer server, SuiteSize size, String id, String writeMode,
			Pipeline pipeline) {
		String database = database(id);
		ConfigurableApplicationContext application = null;
		try {
			server.createDatabase(database);
			application = WorkloadApplication.start(server.jdbcUrl(database), size.writerThreads() + 3, writeMode);
			return new ScenarioRun(rig, server, size, id, writeMode, pipeline, application);
		}
		catch (RuntimeException ex) {
			if (application != null) {
				application.close();
			}
			try {
				server.dropDatabase(database, database);
			}
			catch (RuntimeException cleanup) {
				ex.addSuppressed(cleanup);
			}
			throw ex;
		}
	}

	private static String database(String id) {
		return "fs_" + id.replace('-', '_');
	}

	/** @return the suite's servers and proxies */
	public Rig rig() {
		return this.rig;
	}

	/**
	 * @return the scenario's primary and standby
	 * @throws IllegalStateException when its database is on the rig's cluster
	 */
	public FailoverServers failoverServers() {
		if (this.server instanceof FailoverServers servers) {
			return servers;
		}
		throw new IllegalStateException("Scenario " + this.id + " runs on the rig's cluster, not a primary with a standby");
	}

	/** @return the topic the relay publishes the workload's events to */
	public String topic() {
		return this.topicPrefix + "." + AccountChanged.AGGREGATE_TYPE;
	}

	/**
	 * @param aggregateType an aggregate type
	 * @return the topic the relay publishes its events to
	 */
	public String topic(String aggregateType) {
		return this.topicPrefix + "." + aggregateType;
	}

	/**
	 * Prepares the pipeline's relay (the shipped one, or the lab variant of its key or checkpoint)
	 * on this scenario's slot, through the rig's proxies (to PostgreSQL only on the rig's cluster).
	 * @param name readable name
	 * @param extra further settings, {@code key=value}, replacing defaults of the same key
	 * @return the relay, not started
	 */
	public RelayProcess relay(String name, String... extra) {
		return relay(this.launch, name, extra);
	}

	/**
	 * Prepares a relay, the shipped one or a lab-only variant, on this scenario's slot, through the rig's
	 * proxies (to PostgreSQL only on the rig's cluster).
	 * @param launch how its JVM starts
	 * @param name readable name
	 * @param extra further settings, {@code key=value}, replacing defaults of the same key
	 * @return the relay, not started
	 */
	public RelayProcess relay(RelayLaunch launch, String name, String... extra) {
		List<String> properties = new ArrayList<>(List.of("spring.datasource.url=" + this.server.relayJdbcUrl(this.database),
				"spring.datasource.username=postgres", "spring.datasource.password=",
				"spring.kafka.bootstrap-servers=" + this.rig.kafka().proxiedBootstrapServers(),
				"outbox.relay.slot-name=" + this.slot, "outbox.relay.publication-name=fs_pub",
				"outbox.relay.topic-template=" + this.topicPrefix + ".{aggregateType}",
				"outbox.relay.status-interval=200ms", "outbox.relay.standby-retry-interval=500ms",
				"outbox.relay.reconnect-backoff=200ms", "outbox.relay.reconnect-max-backoff=2s",
				"outbox.relay.kafka-unavailable-grace=5s",
				// So that a silent replication link is noticed well within a stall.
				"outbox.relay.replication-timeout=" + REPLICATION_TIMEOUT,
				// So that a stall of a few seconds crosses the producer's request timeout.
				"spring.kafka.producer.properties.request.timeout.ms=5000"));
		properties.addAll(List.of(extra));
		RelayProcess relay = this.rig.relay(this.id + "-" + name, properties, launch);
		this.relays.add(relay);
		return relay;
	}

	/**
	 * Starts the pipeline's relay and waits until it streams.
	 * @param name readable name
	 * @param extra further settings
	 * @return the streaming relay
	 */
	public RelayProcess startRelay(String name, String... extra) {
		return startRelay(this.launch, name, extra);
	}

	/**
	 * Starts a relay, the shipped one or a lab-only variant, and waits until it streams.
	 * @param launch how its JVM starts
	 * @param name readable name
	 * @param extra further settings
	 * @return the streaming relay
	 */
	public RelayProcess startRelay(RelayLaunch launch, String name, String... extra) {
		RelayProcess relay = relay(launch, name, extra);
		restartRelay(relay);
		return relay;
	}

	/**
	 * Starts a relay (again) and waits until it streams.
	 * @param relay a relay not running
	 */
	public void restartRelay(RelayProcess relay) {
		long before = relay.streamingSessions();
		relay.start();
		relay.awaitStreaming(before, Duration.ofMinutes(2));
	}

	/** Starts the in-process writers, through the starter's {@code Outbox}. */
	public void startWriters() {
		this.writers = new Writers(new OutboxTransactions(this.application.getBean(TransactionTemplate.class), this.jdbc,
				this.application.getBean(Outbox.class)), this.size.writerThreads(), this.size.eventsPerSecond(),
				this.size.aggregates(), this.id.hashCode());
	}

	/** Stops the in-process writers after their current transactions; nothing more is committed. */
	public void stopWriters() {
		if (this.writers != null) {
			this.writers.close();
		}
	}

	/**
	 * Commits {@code events} events at once from the calling thread, in transactions of
	 * {@value Writers#MAX_EVENTS} events over random aggregates: ordinary workload events, checked
	 * like all others, for a backlog that takes the relay a while to drain.
	 * @param events how many
	 */
	public void burst(int events) {
		OutboxTransactions writer = new OutboxTransactions(this.application.getBean(TransactionTemplate.class),
				this.jdbc, this.application.getBean(Outbox.class));
		for (int written = 0; written < events; written += Writers.MAX_EVENTS) {
			String aggregate = Schema.aggregateId(ThreadLocalRandom.current().nextInt(this.size.aggregates()));
			writer.write(List.of(new TransactionWriter.Change(aggregate, Writers.MAX_EVENTS)));
		}
	}

	/**
	 * Starts the writing service in a child JVM ({@link WriterService}).
	 * @param mode {@code outbox} or {@code dual-write}
	 * @return the running service
	 */
	public JavaProcess startWriterService(String mode) {
		return startWriterService(mode, List.of());
	}

	/**
	 * Starts the writing service in a child JVM ({@link WriterService}) with system properties of its own.
	 * @param mode {@code outbox} or {@code dual-write}
	 * @param jvmOptions further JVM options, such as {@code -D} properties
	 * @return the running service
	 */
	public JavaProcess startWriterService(String mode, List<String> jvmOptions) {
		List<String> arguments = new ArrayList<>(List.of(mode, this.server.jdbcUrl(this.database),
				String.valueOf(this.size.writerThreads()), String.valueOf(this.size.eventsPerSecond()),
				String.valueOf(this.size.aggregates()), String.valueOf(this.services.size() + 1L)));
		arguments.add(this.rig.kafka().bootstrapServers());
		arguments.add(topic());
		List<String> options = new ArrayList<>(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
				"-D" + WriterService.WRITE_MODE_PROPERTY + "=" + this.writeMode));
		options.addAll(jvmOptions);
		JavaProcess service = new JavaProcess("writer service " + mode, JavaProcess.currentClasspath(), options,
				WriterService.class.getName(), arguments, writerServiceLog(mode));
		this.services.add(service);
		return service.start();
	}

	/**
	 * @param mode {@code outbox} or {@code dual-write}
	 * @return the log of the run's writing services of that mode, one after the other
	 */
	public Path writerServiceLog(String mode) {
		return this.rig.logs().resolve(this.id + "-service-" + mode + ".log");
	}

	/** @return events the database has committed so far */
	public long committed() {
		AtomicReference<Long> committed = new AtomicReference<>();
		// Retried: right after a PostgreSQL restart the pool may still hand out a dead connection.
		await("committed events").atMost(Duration.ofMinutes(1)).ignoreExceptions()
			.until(() -> {
				committed.set(Schema.committedEvents(this.jdbc));
				return true;
			});
		return committed.get();
	}

	/**
	 * Waits until the database has committed {@code events} more events (the writers are busy,
	 * the pipeline has something in flight when the next fault hits), then a random moment more,
	 * up to half a second, so that faults land anywhere in a transaction's path.
	 * @param events how many more
	 */
	public void awaitProgress(long events) {
		long target = committed() + events;
		await("writers committing " + events + " more events").atMost(Duration.ofMinutes(2))
			.pollInterval(Duration.ofMillis(50))
			.ignoreExceptions()
			.until(() -> Schema.committedEvents(this.jdbc) >= target);
		hold(Duration.ofMillis(ThreadLocalRandom.current().nextLong(500)));
	}

	/**
	 * Holds a fault for a while: fault timing, not a condition.
	 * @param duration how long
	 */
	public void hold(Duration duration) {
		try {
			TimeUnit.MILLISECONDS.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while holding a fault", ex);
		}
	}

	/** Counts one injected fault. */
	public void fault() {
		this.faults++;
	}

	/** @return faults injected so far */
	public int faults() {
		return this.faults;
	}

	/**
	 * Marks the end of a fault: the moment and what the database had committed by then.
	 * @return the mark, for {@link #awaitRecovered(Healed)}
	 */
	public Healed healed() {
		long at = System.nanoTime();
		AtomicReference<Map<String, Long>> versions = new AtomicReference<>();
		await("committed versions").atMost(Duration.ofMinutes(1)).ignoreExceptions().until(() -> {
			versions.set(Schema.committedVersions(this.jdbc));
			return true;
		});
		return new Healed(at, versions.get());
	}

	/**
	 * Waits until the consumer has applied every event committed before the mark, and records
	 * the time since the mark as a recovery.
	 * @param healed the mark
	 * @return the recovery time
	 */
	public Duration awaitRecovered(Healed healed) {
		await("every event committed before the fault's end applied by the consumer").atMost(RECOVERY_TIMEOUT)
			.pollInterval(Duration.ofMillis(100))
			.ignoreExceptions()
			.until(() -> appliedAtLeast(healed.versions()));
		Duration recovery = Duration.ofNanos(System.nanoTime() - healed.nanoTime());
		this.recoveries.add(recovery);
		return recovery;
	}

	private boolean appliedAtLeast(Map<String, Long> versions) {
		Map<String, Long> applied = appliedEvents();
		return versions.entrySet().stream().allMatch((entry) -> applied.getOrDefault(entry.getKey(), 0L) >= entry.getValue());
	}

	/**
	 * Records an expectation of the scenario (beyond the checker's invariants); unmet, it fails the scenario.
	 * @param met whether it holds
	 * @param violation what is wrong when it does not
	 */
	public void expect(boolean met, String violation) {
		if (!met) {
			this.unmet.add(violation);
		}
	}

	/**
	 * Records evidence for the report.
	 * @param note the evidence
	 */
	public void note(String note) {
		if (!this.notes.contains(note)) {
			this.notes.add(note);
		}
	}

	/**
	 * Records what was seen of a component, as evidence for the verifier.
	 * @param observation what was seen
	 */
	public void observe(Observation observation) {
		this.observed.add(observation);
	}

	/**
	 * Judges this run by a lab workload's own check instead of the failure suite's; closed with the run.
	 * @param check the workload's check
	 */
	public void judgeBy(WorkloadCheck check) {
		this.check = check;
	}

	/**
	 * @param <T> its type
	 * @param type a bean of the service's application (its transactions, inbox, outbox)
	 * @return the bean
	 */
	public <T> T bean(Class<T> type) {
		return this.application.getBean(type);
	}

	/** @return the scenario's database, directly */
	public JdbcTemplate jdbc() {
		return this.jdbc;
	}

	/** @return the scenario's replication slot */
	public String slot() {
		return this.slot;
	}

	/** @return the server's current end of WAL ({@code pg_current_wal_lsn()}) */
	public long walEnd() {
		return lsn("SELECT (pg_current_wal_lsn() - '0/0')::bigint");
	}

	/** @return the scenario's slot's {@code confirmed_flush_lsn}: where it resumes after a restart */
	public long slotConfirmed() {
		return lsn("SELECT (confirmed_flush_lsn - '0/0')::bigint FROM pg_replication_slots WHERE slot_name = '" + this.slot
				+ "'");
	}

	private long lsn(String sql) {
		Long lsn = this.jdbc.queryForObject(sql, Long.class);
		return (lsn != null) ? lsn : 0;
	}

	/**
	 * Reads what Kafka holds of the scenario's topic now, directly (not through the relay's proxy).
	 * @param versions committed versions
	 * @return how many of the events they name Kafka does not have
	 */
	public long missingFromKafka(Map<String, Long> versions) {
		return DeliveryCheck.examine(SequencedEvents.committed(versions),
				TopicAudit.read(this.rig.kafka().bootstrapServers(), topic())).missing();
	}

	/**
	 * Stops the writing, lets the pipeline deliver what was committed, reads the topic and judges.
	 * @param scenario the scenario
	 * @param aborted why the scenario's body stopped early, or {@code null}
	 * @param started when the scenario started ({@link System#nanoTime()})
	 * @return the result
	 */
	public ScenarioResult finish(Scenario scenario, @Nullable Throwable aborted, long started) {
		if (this.writers != null) {
			this.writers.close();
			if (this.writers.failures() > 0) {
				this.notes.add("writers: " + this.writers.failures() + " transactions failed (" + this.writers.transactions()
						+ " committed as far as they saw; the database decides which did)");
			}
		}
		this.services.forEach(JavaProcess::kill);
		if (this.consumer.failedBatches() > 0) {
			this.notes.add("consumer: " + this.consumer.failedBatches() + " poll batches rolled back and applied again");
		}
		List<String> violations = new ArrayList<>(this.unmet);
		if (aborted != null) {
			violations.add(0, "scenario aborted: " + aborted);
		}
		WorkloadCheck workload = this.check;
		if (workload != null) {
			WorkloadCheck.Judgement judged = workload.judge(this.observed);
			violations.addAll(judged.violations());
			judged.notes().forEach(this::note);
			return ScenarioResult.judge(scenario.id(), scenario.fault(), this.faults, judged.figures(),
					judged.evidence().redeliveriesSkipped(), this.recoveries,
					DecisionTable.trace(scenario.cell(), judged.evidence()), scenario.lossExpected(), violations, this.notes,
					Duration.ofNanos(System.nanoTime() - started));
		}
		Map<String, Long> committed = committedVersionsWhenDelivered(scenario.lossExpected());
		List<Delivery> records = TopicAudit.read(this.rig.kafka().bootstrapServers(), topic());
		long distinct = records.stream().map(Delivery::id).distinct().count();
		try {
			await("consumer applying every delivered event").atMost(Duration.ofMinutes(1))
				.pollInterval(Duration.ofMillis(100))
				.ignoreExceptions()
				.until(() -> appliedEvents().values().stream().mapToLong(Long::longValue).sum() >= distinct);
		}
		catch (org.awaitility.core.ConditionTimeoutException ex) {
			// the checker reports what the consumer did not apply
		}
		Figures figures = Figures.of(DeliveryCheck.examine(SequencedEvents.committed(committed), records),
				Schema.appliedCounters(this.jdbc));
		long skipped = this.consumer.duplicatesSkipped();
		List<Finding> findings = DecisionTable.trace(scenario.cell(), figures.evidence(skipped, this.observed));
		return ScenarioResult.judge(scenario.id(), scenario.fault(), this.faults, figures, skipped, this.recoveries,
				findings, scenario.lossExpected(), violations, this.notes, Duration.ofNanos(System.nanoTime() - started));
	}

	/** @return per aggregate, the distinct events the consumer applied (its counters, unless the sink is naive) */
	private Map<String, Long> appliedEvents() {
		return this.naiveSink ? this.consumer.distinctApplied() : Schema.appliedCounters(this.jdbc);
	}

	/** Committed versions, once every one has been applied (or, for the baseline, once the writers stopped). */
	private Map<String, Long> committedVersionsWhenDelivered(boolean lossExpected) {
		Healed end = healed();
		if (!lossExpected) {
			try {
				awaitRecovered(end);
				this.recoveries.remove(this.recoveries.size() - 1); // draining is not a recovery
			}
			catch (org.awaitility.core.ConditionTimeoutException ex) {
				// the checker reports what is missing
			}
		}
		return end.versions();
	}

	@Override
	public void close() {
		if (this.check != null) {
			this.check.close();
		}
		this.relays.forEach(RelayProcess::kill);
		this.services.forEach(JavaProcess::kill);
		this.consumer.close();
		this.application.close();
		this.server.dropDatabase(this.database, this.slot);
	}

	/**
	 * The end of a fault.
	 *
	 * @param nanoTime when ({@link System#nanoTime()})
	 * @param versions the committed versions at that moment
	 */
	public record Healed(long nanoTime, Map<String, Long> versions) {
	}

}
