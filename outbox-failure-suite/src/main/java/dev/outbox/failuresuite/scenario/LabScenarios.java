package dev.outbox.failuresuite.scenario;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.awaitility.core.ConditionTimeoutException;
import org.postgresql.replication.LogSequenceNumber;

import dev.outbox.failuresuite.SuiteSize;
import dev.outbox.failuresuite.lab.Capture;
import dev.outbox.failuresuite.lab.Cell;
import dev.outbox.failuresuite.lab.Checkpoint;
import dev.outbox.failuresuite.lab.Choice;
import dev.outbox.failuresuite.lab.Evidence.Observation;
import dev.outbox.failuresuite.lab.Fault;
import dev.outbox.failuresuite.lab.Key;
import dev.outbox.failuresuite.lab.Pipeline;
import dev.outbox.failuresuite.lab.Sink;
import dev.outbox.failuresuite.lab.Slot;
import dev.outbox.failuresuite.lab.SlotGuard;
import dev.outbox.failuresuite.lab.Workload;
import dev.outbox.failuresuite.rig.LogLines;
import dev.outbox.failuresuite.rig.RelayProcess;
import dev.outbox.failuresuite.scenario.ScenarioRun.Healed;
import dev.outbox.failuresuite.variant.KeylessRelay;
import dev.outbox.failuresuite.workload.DualWriteTransactions;
import dev.outbox.failuresuite.workload.WriterService;
import dev.outbox.testsupport.JavaProcess;
import dev.outbox.testsupport.TcpProxy;

import static org.awaitility.Awaitility.await;

/**
 * The lab's own scenarios, beyond the failure suite's: the faults that expose other designs, fired
 * at them and at our pipeline alike. Not part of {@code scripts/failure-suite.sh}; the lab runs them
 * one cell at a time. Each fires its fault at the point that exposes the design, so that a red
 * outcome is certain, not lucky.
 */
public final class LabScenarios {

	/** The transaction of each dual-write service after whose commit it is killed. */
	static final long PARK_AFTER_COMMIT = 10;

	private LabScenarios() {
	}

	/**
	 * @param size the run's size
	 * @return every lab scenario
	 */
	public static List<Scenario> all(SuiteSize size) {
		return List.of(relayKafkaStallThenKill(size, Checkpoint.AS_SHIPPED),
				relayKafkaStallThenKill(size, Checkpoint.CONFIRM_ON_SEND), dualWriteKillBetweenCommitAndSend(size),
				naiveSink(Scenarios.relayKill(size)), keyNone(Scenarios.relayKill(size)),
				Scenarios.retainedWal(size, SlotGuard.OFF));
	}

	/**
	 * One of our pipeline's scenarios with the lab's {@code sink naive}: a consumer that applies every
	 * delivery, without the inbox, so that each redelivery the fault causes is applied again.
	 */
	static Scenario naiveSink(Scenario ours) {
		return withSlot(ours, Slot.SINK, Sink.NAIVE, Sink.NAIVE.option() + "-sink-", "the consumer without the inbox");
	}

	/**
	 * One of our pipeline's scenarios with the lab's key {@code none}: the relay variant that sends
	 * records without a key to round-robin partitions ({@link KeylessRelay}), so that every
	 * aggregate's events spread over the topic's six partitions in turn. The delivery check reads
	 * the topic partition after partition, as a consumer does that reads them one after the other,
	 * so an aggregate with an event in a partition before one of its earlier events' partitions is
	 * reordered: with round-robin partitions and dozens of events per aggregate, every run.
	 */
	static Scenario keyNone(Scenario ours) {
		return withSlot(ours, Slot.KEY, Key.NONE, "keyless-", "records sent without a key, to round-robin partitions");
	}

	private static Scenario withSlot(Scenario ours, Slot slot, Choice value, String idPrefix, String what) {
		Cell cell = ours.cell();
		return new Scenario(idPrefix + ours.id(), ours.fault() + ", " + what,
				new Cell(cell.workload(), Pipeline.of(Map.of(slot.option(), value.option())), cell.fault()), ours.body());
	}

	/**
	 * {@code kill -9} of a "save, then send" service at the fixed point between its commit and its
	 * send: the service's thread that commits its {@value #PARK_AFTER_COMMIT}th transaction parks
	 * there ({@link DualWriteTransactions}), says so in its log, and is killed then. That
	 * transaction's events are committed and never sent, every time.
	 */
	static Scenario dualWriteKillBetweenCommitAndSend(SuiteSize size) {
		return new Scenario("dual-write-" + Fault.KILL_BETWEEN_COMMIT_AND_SEND.option(), size.serviceKills()
				+ "× kill -9 of a \"save, then send\" service after the commit of its " + PARK_AFTER_COMMIT
				+ "th transaction, before its send",
				new Cell(Workload.MICROSERVICE_EVENTS, Pipeline.of(Map.of("capture", Capture.DUAL_WRITE.option())),
						Fault.KILL_BETWEEN_COMMIT_AND_SEND),
				(run) -> {
					for (int i = 0; i < size.serviceKills(); i++) {
						long parkedBefore = parked(run);
						JavaProcess service = run.startWriterService("dual-write",
								List.of("-D" + WriterService.PARK_AFTER_COMMIT_PROPERTY + "=" + PARK_AFTER_COMMIT));
						await("dual-write service parked after its commit").atMost(Duration.ofMinutes(2))
							.pollInterval(Duration.ofMillis(50))
							.until(() -> parked(run) > parkedBefore);
						service.kill();
						run.fault();
					}
					run.note(size.serviceKills() + "× killed after the commit of transaction " + PARK_AFTER_COMMIT
							+ " and before its send");
				});
	}

	/** @return how many times the run's dual-write services logged that they parked at the kill point */
	private static long parked(ScenarioRun run) {
		return LogLines.startingWith(run.writerServiceLog("dual-write"), DualWriteTransactions.PARKED);
	}

	/**
	 * The relay→Kafka link stalled while the writers commit more, the writers stopped, the relay given
	 * the stall's length to confirm the events Kafka never got (the lab's {@code confirm-on-send}
	 * relay does so at once, ours never), then {@code kill -9} of the relay before the link comes
	 * back, and a restart. Whatever the relay had confirmed, the slot does not send again.
	 */
	static Scenario relayKafkaStallThenKill(SuiteSize size, Checkpoint checkpoint) {
		Fault fault = Fault.RELAY_KAFKA_STALL_THEN_KILL_9;
		boolean ours = checkpoint == Checkpoint.AS_SHIPPED;
		String id = ours ? fault.option() : checkpoint.option() + "-stall-then-kill";
		Pipeline pipeline = ours ? Pipeline.OURS : Pipeline.of(Map.of("checkpoint", checkpoint.option()));
		return new Scenario(id, "relay↔Kafka link stalled while " + size.eventsBetweenFaults() / 3
				+ " more events commit, up to " + seconds(size.stall()) + " for the relay to confirm them, then kill -9 "
				+ "of the relay and a restart", new Cell(Workload.MICROSERVICE_EVENTS, pipeline, fault), (run) -> {
					TcpProxy proxy = run.rig().kafkaProxy();
					RelayProcess relay = run.startRelay("relay"); // the pipeline's: shipped, or ConfirmOnSendRelay
					run.startWriters();
					run.awaitProgress(size.eventsBetweenFaults());
					proxy.set(TcpProxy.Mode.STALL);
					run.fault();
					try {
						run.awaitProgress(size.eventsBetweenFaults() / 3);
						run.stopWriters();
						Map<String, Long> committed = run.healed().versions();
						long end = run.walEnd();
						boolean confirmed = confirmedWithin(run, end, size.stall());
						long confirmedLsn = run.slotConfirmed();
						long notInKafka = run.missingFromKafka(committed);
						run.note("link stalled: the slot confirmed " + lsn(confirmedLsn) + ", "
								+ (confirmed ? "past" : "short of") + " the end of the writes " + lsn(end) + ", with "
								+ notInKafka + " committed events not in Kafka");
						if (confirmed && notInKafka > 0) {
							run.observe(Observation.CONFIRMED_PAST_KAFKA);
						}
						relay.kill();
					}
					finally {
						proxy.set(TcpProxy.Mode.PASS);
					}
					Healed healed = run.healed();
					run.restartRelay(relay);
					if (ours) {
						run.awaitRecovered(healed);
					}
				});
	}

	/** Waits up to {@code within} for the slot to confirm {@code lsn}; {@code false} when it did not. */
	private static boolean confirmedWithin(ScenarioRun run, long lsn, Duration within) {
		try {
			await("slot confirmed past " + lsn(lsn)).atMost(within)
				.pollInterval(Duration.ofMillis(100))
				.until(() -> run.slotConfirmed() >= lsn);
			return true;
		}
		catch (ConditionTimeoutException ex) {
			return false;
		}
	}

	private static String lsn(long lsn) {
		return LogSequenceNumber.valueOf(lsn).asString();
	}

	private static String seconds(Duration duration) {
		return String.format(Locale.ROOT, "%.0fs", duration.toMillis() / 1000.0);
	}

}
