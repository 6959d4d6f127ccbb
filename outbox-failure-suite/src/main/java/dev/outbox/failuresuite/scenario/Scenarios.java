package dev.outbox.failuresuite.scenario;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;
import org.postgresql.replication.LogSequenceNumber;
import org.springframework.util.unit.DataSize;

import dev.outbox.failuresuite.SuiteSize;
import dev.outbox.failuresuite.lab.Capture;
import dev.outbox.failuresuite.lab.Cell;
import dev.outbox.failuresuite.lab.Choice;
import dev.outbox.failuresuite.lab.Evidence.Observation;
import dev.outbox.failuresuite.lab.Fault;
import dev.outbox.failuresuite.lab.Pipeline;
import dev.outbox.failuresuite.lab.SlotGuard;
import dev.outbox.failuresuite.lab.Workload;
import dev.outbox.failuresuite.rig.FailoverServers;
import dev.outbox.failuresuite.rig.RelayProcess;
import dev.outbox.failuresuite.rig.RelayProcess.Health;
import dev.outbox.failuresuite.rig.RelayProcess.HealthProbe;
import dev.outbox.failuresuite.scenario.ScenarioRun.Healed;
import dev.outbox.testsupport.JavaProcess;
import dev.outbox.testsupport.TcpProxy;
import dev.outbox.testsupport.ThrowawayPostgres.ShutdownMode;

import static org.awaitility.Awaitility.await;

/**
 * The scenarios, one fault each, in the order the suite runs them: our pipeline under each of the
 * lab's faults the failure suite fires, and the baseline. What absorbed each fault is not said
 * here: the verifier traces it from the run's evidence.
 */
public final class Scenarios {

	private static final long MB = 1024 * 1024;

	/** The slot guard's warning threshold at the suite's size. */
	static final String GUARD_WARNING = "8MB";

	/** The slot guard's critical threshold at the suite's size. */
	static final String GUARD_CRITICAL = "16MB";

	/** A threshold no retention reaches: the relay has no switch to turn its guard off. */
	static final String NO_THRESHOLD = "1000000TB";

	/**
	 * {@code outbox.write-mode=message}: events as WAL messages with no table row. The scenarios
	 * that most stress the checkpoint (relay kills, PostgreSQL restarts that re-send from an older
	 * position) run again in it, to prove a message is confirmed exactly as a row is.
	 */
	static final String MESSAGE_MODE = "message";

	private Scenarios() {
	}

	/**
	 * @param size the run's size
	 * @return every scenario, those run again with events as WAL messages last
	 */
	public static List<Scenario> all(SuiteSize size) {
		return List.of(relayKill(size), relayGracefulRestart(size), brokerKill(size),
				postgresRestart(size, ShutdownMode.FAST), postgresRestart(size, ShutdownMode.IMMEDIATE),
				cut(size, "kafka", TcpProxy.Mode.DROP), cut(size, "kafka", TcpProxy.Mode.STALL),
				cut(size, "postgres", TcpProxy.Mode.DROP), cut(size, "postgres", TcpProxy.Mode.STALL),
				retainedWalCritical(size), standbyTakeover(size), postgresFailover(size), serviceKill(size),
				dualWriteBaseline(size),
				relayKill(size).inWriteMode(MESSAGE_MODE),
				postgresRestart(size, ShutdownMode.FAST).inWriteMode(MESSAGE_MODE),
				postgresRestart(size, ShutdownMode.IMMEDIATE).inWriteMode(MESSAGE_MODE));
	}

	static Scenario relayKill(SuiteSize size) {
		return new Scenario(Fault.RELAY_KILL_9, size.relayKills() + "× kill -9 of the relay, restarted at once",
				(run) -> {
					RelayProcess relay = run.startRelay("relay");
					run.startWriters();
					for (int i = 0; i < size.relayKills(); i++) {
						run.awaitProgress(size.eventsBetweenFaults());
						relay.kill();
						run.fault();
						Healed healed = run.healed();
						run.restartRelay(relay);
						run.awaitRecovered(healed);
					}
					run.expect(run.faults() >= 10, "fewer than 10 relay kills: " + run.faults());
				});
	}

	static Scenario relayGracefulRestart(SuiteSize size) {
		return new Scenario(Fault.RELAY_GRACEFUL_RESTART, size.restarts() + "× SIGTERM of the relay, then a restart",
				(run) -> {
					RelayProcess relay = run.startRelay("relay");
					run.startWriters();
					for (int i = 0; i < size.restarts(); i++) {
						run.awaitProgress(size.eventsBetweenFaults());
						int exit = relay.stop();
						run.fault();
						run.note("relay exited with code " + exit + " on SIGTERM");
						Healed healed = run.healed();
						run.restartRelay(relay);
						run.awaitRecovered(healed);
					}
				});
	}

	static Scenario brokerKill(SuiteSize size) {
		return new Scenario(Fault.KAFKA_BROKER_KILL, size.restarts() + "× kill -9 of the broker, restarted after "
				+ seconds(size.outage()), (run) -> {
					RelayProcess relay = run.startRelay("relay");
					run.startWriters();
					for (int i = 0; i < size.restarts(); i++) {
						run.awaitProgress(size.eventsBetweenFaults());
						run.rig().kafka().kill();
						run.fault();
						List<HealthProbe> probes = holdAndProbe(run, relay, size.outage());
						Healed healed = run.healed();
						run.rig().kafka().start();
						run.awaitRecovered(healed);
						noteProbes(run, probes, "the broker dead");
					}
				});
	}

	static Scenario postgresRestart(SuiteSize size, ShutdownMode mode) {
		String name = mode.name().toLowerCase(Locale.ROOT);
		// PostgreSQL before 17 writes a logical slot's confirmed LSN to disk only when its restart LSN moves
		// (17 also at a shutdown checkpoint): after either restart the slot resumes from an older position.
		return new Scenario(Choice.parse("fault", "postgres-restart-" + name, Fault.class),
				size.restarts() + "× pg_ctl restart -m " + name, (run) -> {
					run.startRelay("relay");
					run.startWriters();
					for (int i = 0; i < size.restarts(); i++) {
						run.awaitProgress(size.eventsBetweenFaults());
						run.rig().postgres().restart(mode);
						run.fault();
						run.awaitRecovered(run.healed());
					}
				});
	}

	static Scenario cut(SuiteSize size, String server, TcpProxy.Mode mode) {
		boolean kafka = "kafka".equals(server);
		boolean stall = mode == TcpProxy.Mode.STALL;
		Duration length = stall ? size.stall() : size.outage();
		String fault = size.restarts() + "× relay↔" + (kafka ? "Kafka" : "PostgreSQL") + " link "
				+ (stall ? "stalled (open, silent)" : "dropped (reset, refused)") + " for " + seconds(length);
		return new Scenario(Choice.parse("fault", "relay-" + server + "-" + mode.name().toLowerCase(Locale.ROOT), Fault.class),
				fault,
				(run) -> {
					TcpProxy proxy = kafka ? run.rig().kafkaProxy() : run.rig().postgresProxy();
					long accepted = proxy.accepted();
					long dropped = proxy.dropped();
					RelayProcess relay = run.startRelay("relay");
					run.startWriters();
					try {
						for (int i = 0; i < size.restarts(); i++) {
							run.awaitProgress(size.eventsBetweenFaults());
							Instant cut = Instant.now();
							proxy.set(mode);
							run.fault();
							List<HealthProbe> probes = holdAndProbe(run, relay, length);
							Instant back = Instant.now();
							proxy.set(TcpProxy.Mode.PASS);
							run.awaitRecovered(run.healed());
							noteProbes(run, probes, "the link cut");
							if (!kafka) {
								run.note(relay.firstLogged(cut, "Replication interrupted")
									.map((noticed) -> "relay noticed the broken replication connection "
											+ seconds(Duration.between(cut, noticed)) + " after the cut"
											+ (noticed.isBefore(back) ? ", while the link was still cut"
													: ", " + seconds(Duration.between(back, noticed)) + " after the link came back"))
									.orElse("relay logged no interrupted replication"));
							}
							if (stall && !kafka) {
								run.rig().postgresLogged(cut, "terminating walsender process due to replication timeout")
									.ifPresent((ended) -> run.note("PostgreSQL ended the silent walsender "
											+ seconds(Duration.between(cut, ended)) + " after the cut (wal_sender_timeout)"));
							}
						}
					}
					finally {
						proxy.set(TcpProxy.Mode.PASS);
					}
					run.note("proxy: " + (proxy.accepted() - accepted) + " connections accepted, "
							+ (proxy.dropped() - dropped) + " reset");
				});
	}

	static Scenario retainedWalCritical(SuiteSize size) {
		return retainedWal(size, SlotGuard.ON);
	}

	/**
	 * The relay frozen while the slot retains WAL past the guard's critical threshold, then resumed.
	 * With the guard on, the relay's thresholds are {@value #GUARD_WARNING}/{@value #GUARD_CRITICAL}
	 * and its health must say DOWN for it; with the guard off, the relay runs with thresholds no
	 * retention reaches (it has no switch to turn the guard off) on a server without
	 * {@code max_slot_wal_keep_size}, and its health is watched until the slot retains less than the
	 * guard's threshold again: whether anything warned is the evidence.
	 * @param size the run's size
	 * @param guard the pipeline's slot guard
	 * @return the scenario
	 */
	static Scenario retainedWal(SuiteSize size, SlotGuard guard) {
		boolean on = guard == SlotGuard.ON;
		String description = "relay frozen (SIGSTOP) while writers, a burst of 20000 events and filler push retained WAL "
				+ "past " + (on ? "retained-wal-critical (" + GUARD_CRITICAL + ")" : "the guard's " + GUARD_CRITICAL
						+ ", with no thresholds and no max_slot_wal_keep_size") + ", then resumed";
		Scenario scenario = new Scenario(Fault.RETAINED_WAL_CRITICAL, description, (run) -> {
			// Frozen past wal_sender_timeout, the relay finds its connection closed when it resumes and
			// reconnects after reconnect-backoff: 3s in which health must say why it is behind.
			RelayProcess relay = run.startRelay("relay",
					"outbox.relay.retained-wal-warning=" + (on ? GUARD_WARNING : NO_THRESHOLD),
					"outbox.relay.retained-wal-critical=" + (on ? GUARD_CRITICAL : NO_THRESHOLD),
					"outbox.relay.reconnect-backoff=3s");
			if (!on) {
				run.note("no guard: relay thresholds " + NO_THRESHOLD + ", server max_slot_wal_keep_size = "
						+ run.jdbc().queryForObject("SHOW max_slot_wal_keep_size", String.class));
			}
			run.startWriters();
			run.awaitProgress(size.eventsBetweenFaults());
			await("relay health answering").atMost(Duration.ofMinutes(1)).until(() -> relay.health() != null);
			relay.freeze();
			long frozen = System.nanoTime();
			run.fault();
			try {
				run.burst(20_000); // a backlog of events to drain, besides the writers' own
				await("retained WAL above 24MB").atMost(Duration.ofMinutes(2)).until(() -> {
					run.jdbc().execute("SELECT pg_logical_emit_message(false, 'fs-filler', repeat('x', 1048576)) "
							+ "FROM generate_series(1, 4)");
					return retainedWal(run) > 24 * MB;
				});
				run.observe(Observation.RETAINED_WAL_PAST_CRITICAL);
				run.note("relay frozen with " + retainedWal(run) / MB + "MB of WAL retained (" + slotRetention(run)
						+ "); health " + ((relay.health() != null) ? "answered" : "did not answer within 2s"));
				Duration remaining = Duration.ofSeconds(8).minusNanos(System.nanoTime() - frozen);
				if (!remaining.isNegative()) {
					run.hold(remaining); // past wal_sender_timeout (5s)
				}
			}
			finally {
				relay.thaw();
			}
			Healed healed = run.healed();
			if (on) {
				awaitHealthDownForRetainedWal(run, relay, healed);
			}
			else {
				watchHealthWhileRetained(run, relay, healed);
			}
			run.awaitRecovered(healed); // recovered: health no longer DOWN, and every event applied
		});
		return on ? scenario : new Scenario("slot-guard-off-" + scenario.id(), description,
				new Cell(Workload.MICROSERVICE_EVENTS, Pipeline.of(Map.of("slot-guard", guard.option())),
						Fault.RETAINED_WAL_CRITICAL),
				scenario.body());
	}

	private static void awaitHealthDownForRetainedWal(ScenarioRun run, RelayProcess relay, Healed healed) {
		AtomicReference<@Nullable Health> seen = new AtomicReference<>();
		await("relay health DOWN for retained WAL").atMost(Duration.ofMinutes(1))
			.pollInterval(Duration.ofMillis(20))
			.until(() -> {
				Health health = relay.health();
				seen.set(health);
				return health != null && health.isDown() && health.reason().contains("retained-wal-critical");
			});
		run.observe(Observation.HEALTH_DOWN_FOR_RETAINED_WAL);
		run.note("health DOWN " + since(healed) + " after it resumed: " + seen.get().reason() + ", "
				+ seen.get().retainedWalBytes() / MB + "MB retained");
		await("relay health no longer DOWN").atMost(Duration.ofMinutes(3))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> {
				Health health = relay.health();
				seen.set(health);
				return health != null && !health.isDown();
			});
		run.note("health " + seen.get().status() + " " + since(healed) + " after it resumed, "
				+ seen.get().retainedWalBytes() / MB + "MB retained");
	}

	/**
	 * Without a guard: reads the relay's health from its resumption until the slot retains less
	 * than the guard's critical threshold again, the window in which a guard would have said DOWN,
	 * and records whether any reading warned of retained WAL.
	 */
	private static void watchHealthWhileRetained(ScenarioRun run, RelayProcess relay, Healed healed) {
		AtomicLong readings = new AtomicLong();
		AtomicLong peak = new AtomicLong();
		AtomicReference<@Nullable Health> warned = new AtomicReference<>();
		await("slot retaining less than " + GUARD_CRITICAL + " again").atMost(Duration.ofMinutes(3))
			.pollInterval(Duration.ofMillis(20))
			.until(() -> {
				long retained = retainedWal(run);
				peak.accumulateAndGet(retained, Math::max);
				Health health = relay.health();
				if (health != null) {
					readings.incrementAndGet();
					if (health.reason().contains("retained-wal")) {
						warned.compareAndSet(null, health);
					}
				}
				return retained < DataSize.parse(GUARD_CRITICAL).toBytes();
			});
		Health warning = warned.get();
		if (warning != null) {
			run.observe(Observation.HEALTH_DOWN_FOR_RETAINED_WAL);
		}
		run.note("health read " + readings.get() + "× while the slot retained up to " + peak.get() / MB + "MB, until "
				+ since(healed) + " after the relay resumed: " + ((warning != null)
						? warning.status() + " " + warning.reason() : "never a word of retained WAL"));
	}
	static Scenario standbyTakeover(SuiteSize size) {
		return new Scenario(Fault.STANDBY_TAKEOVER,
				"two relays race for one new slot; " + size.takeovers() + "× kill -9 of the active one", (run) -> {
					RelayProcess a = run.relay("a");
					RelayProcess b = run.relay("b");
					a.start();
					b.start();
					AtomicReference<RelayProcess[]> roles = new AtomicReference<>();
					await("one relay streaming, the other standing by").atMost(Duration.ofMinutes(2))
						.pollInterval(Duration.ofMillis(200))
						.until(() -> {
							roles.set(roles(a, b));
							return roles.get() != null;
						});
					run.startWriters();
					for (int i = 0; i < size.takeovers(); i++) {
						run.awaitProgress(size.eventsBetweenFaults());
						RelayProcess[] current = roles(a, b);
						if (current == null) {
							throw new AssertionError("no relay streaming with the other standing by: " + a.health() + ", "
									+ b.health());
						}
						RelayProcess active = current[0];
						RelayProcess standby = current[1];
						long sessions = standby.streamingSessions();
						active.kill();
						run.fault();
						Healed healed = run.healed();
						standby.awaitStreaming(sessions, Duration.ofMinutes(1));
						Duration takeover = Duration.ofNanos(System.nanoTime() - healed.nanoTime());
						run.note(active.name() + " killed; " + standby.name() + " streaming " + seconds(takeover) + " later");
						run.expect(takeover.compareTo(Duration.ofSeconds(15)) < 0,
								"standby took " + seconds(takeover) + " to take over");
						run.awaitRecovered(healed);
						active.start();
						await(active.name() + " standing by").atMost(Duration.ofMinutes(2))
							.pollInterval(Duration.ofMillis(200))
							.until(() -> roles(a, b) != null);
					}
				});
	}

	/** @return {active, standby}, or {@code null} unless exactly that */
	private static RelayProcess @Nullable [] roles(RelayProcess a, RelayProcess b) {
		Health first = a.health();
		Health second = b.health();
		if (first == null || second == null) {
			return null;
		}
		if ("streaming".equals(first.state()) && "standby".equals(second.state())) {
			return new RelayProcess[] { a, b };
		}
		if ("streaming".equals(second.state()) && "standby".equals(first.state())) {
			return new RelayProcess[] { b, a };
		}
		return null;
	}

	/**
	 * The primary killed and its synchronous standby promoted; the service, its consumer and the
	 * relay all connect through a multi-host URL ({@link FailoverServers}).
	 * <p>
	 * From PostgreSQL 17 the relay's slot follows: under load, once the standby holds a synchronised
	 * copy of the slot (what an operator checks first), the primary dies; the relay must reconnect
	 * to the promoted standby and stream its slot there, and the checker then proves that every
	 * event the promoted primary committed is in Kafka in per-aggregate order, and that Kafka holds
	 * none it lacks (nothing published that the failover lost).
	 * <p>
	 * Before 17 no slot follows, so loss cannot be avoided under load, and the scenario proves what
	 * the relay and the operator's procedure promise instead (docs/failover.md): the writers stop
	 * and the relay drains, the primary dies, the relay must stop loudly (health DOWN, "was
	 * dropped") rather than create a slot that would skip events, and a relay started once with
	 * {@code allow-slot-recreation=true} before the writers resume loses nothing.
	 */
	static Scenario postgresFailover(SuiteSize size) {
		return new Scenario(Fault.POSTGRES_FAILOVER, "kill of the primary (pg_ctl stop -m immediate), its synchronous "
				+ "standby promoted: under load from PostgreSQL 17; before 17 after the relay drained, with a new slot "
				+ "before the writers resume", (run) -> {
					FailoverServers servers = run.failoverServers();
					RelayProcess relay = run.startRelay("relay");
					run.startWriters();
					run.awaitProgress(size.eventsBetweenFaults());
					if (servers.slotsFollow()) {
						servers.awaitStandbySlot(run.slot(), LogSequenceNumber.valueOf(run.slotConfirmed()).asString());
						long sessions = relay.streamingSessions();
						servers.failOver();
						run.fault();
						Healed healed = run.healed();
						relay.awaitStreaming(sessions, Duration.ofMinutes(1));
						run.note("relay streaming its synchronised slot on the promoted standby " + since(healed)
								+ " after the promotion");
						run.awaitRecovered(healed);
					}
					else {
						run.stopWriters();
						Map<String, Long> committed = run.healed().versions();
						await("relay drained").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
							.until(() -> run.missingFromKafka(committed) == 0);
						Instant killed = Instant.now();
						servers.failOver();
						run.fault();
						await("relay stopping loudly: no slot on the promoted standby").atMost(Duration.ofMinutes(1))
							.pollInterval(Duration.ofMillis(200))
							.until(() -> {
								Health health = relay.health();
								return health != null && health.isDown() && "failed".equals(health.state());
							});
						run.expect(relay.firstLogged(killed, "Replication slot " + run.slot() + " was dropped").isPresent(),
								"the relay's log does not say that slot " + run.slot() + " was dropped: " + relay.describe());
						run.note("before PostgreSQL 17: relay DOWN (failed), its slot not on the promoted standby; "
								+ "restarted once with allow-slot-recreation=true before the writers resumed");
						relay.kill();
						run.startRelay("recreated", "outbox.relay.allow-slot-recreation=true");
						run.startWriters();
					}
					run.awaitProgress(size.eventsBetweenFaults()); // the writers go on on the promoted standby
				});
	}

	static Scenario serviceKill(SuiteSize size) {
		return new Scenario(Fault.SERVICE_KILL_9, size.serviceKills() + "× kill -9 of the writing service (outbox)",
				(run) -> {
					run.startRelay("relay");
					for (int i = 0; i < size.serviceKills(); i++) {
						JavaProcess service = run.startWriterService("outbox");
						run.awaitProgress(size.eventsBetweenFaults());
						service.kill();
						run.fault();
						run.awaitRecovered(run.healed());
					}
				});
	}

	static Scenario dualWriteBaseline(SuiteSize size) {
		return new Scenario("dual-write-baseline",
				size.serviceKills() + "× kill -9 of a \"save, then send\" service (no outbox, no relay)",
				new Cell(Workload.MICROSERVICE_EVENTS, Pipeline.of(Map.of("capture", Capture.DUAL_WRITE.option())),
						Fault.SERVICE_KILL_9),
				(run) -> {
					for (int i = 0; i < size.serviceKills(); i++) {
						JavaProcess service = run.startWriterService("dual-write");
						run.awaitProgress(size.eventsBetweenFaults());
						service.kill();
						run.fault();
					}
				});
	}

	/** Holds a fault, probing the relay's health 2 seconds into it and 1 second before its end. */
	private static List<HealthProbe> holdAndProbe(ScenarioRun run, RelayProcess relay, Duration length) {
		run.hold(Duration.ofSeconds(2));
		HealthProbe early = relay.probeHealth();
		run.hold(length.minusSeconds(3));
		HealthProbe late = relay.probeHealth();
		run.hold(Duration.ofSeconds(1));
		return List.of(early, late);
	}

	private static void noteProbes(ScenarioRun run, List<HealthProbe> probes, String fault) {
		run.note("health with " + fault + ", probed 2s in: " + probes.get(0).await() + "; probed 1s before the end: "
				+ probes.get(1).await());
	}

	private static long retainedWal(ScenarioRun run) {
		Long bytes = run.jdbc().queryForObject("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::bigint "
				+ "FROM pg_replication_slots WHERE slot_name = ?", Long.class, run.slot());
		return (bytes != null) ? bytes : 0;
	}

	/** @return the server's cap on the slot, as {@code pg_replication_slots} states it */
	private static String slotRetention(ScenarioRun run) {
		return run.jdbc().queryForObject("SELECT 'wal_status ' || coalesce(wal_status, 'null') || ', safe_wal_size ' "
				+ "|| coalesce(pg_size_pretty(safe_wal_size), 'unlimited') FROM pg_replication_slots WHERE slot_name = ?",
				String.class, run.slot());
	}

	private static String since(Healed healed) {
		return seconds(Duration.ofNanos(System.nanoTime() - healed.nanoTime()));
	}

	private static String seconds(Duration duration) {
		return String.format(Locale.ROOT, "%.1fs", duration.toMillis() / 1000.0);
	}

}
