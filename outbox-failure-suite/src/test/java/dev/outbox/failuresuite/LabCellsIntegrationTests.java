package dev.outbox.failuresuite;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.outbox.failuresuite.check.ScenarioResult;
import dev.outbox.failuresuite.lab.Component;
import dev.outbox.failuresuite.lab.Finding;
import dev.outbox.failuresuite.lab.Outcome;
import dev.outbox.failuresuite.lab.Rule;
import dev.outbox.failuresuite.lab.Slot;
import dev.outbox.failuresuite.rig.Rig;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lab's CI cells that run today, each built from the command's own words ({@link LabOptions}),
 * run on the scenario that runs it ({@link RunnableCells}) at the quick size, and judged by the
 * verifier's findings rather than by the figures alone: our pipeline under three faults is green,
 * every outcome traced to the part that absorbed it; {@code dual-write} under the kill of its
 * service between its commit and its send is red, its loss traced to the capture slot and the send
 * after commit; the lab's {@code confirm-on-send} relay under a stalled Kafka link and a kill is red,
 * its loss traced to the checkpoint slot and the relay (a variant that loses nothing there fails);
 * and {@code polling-table} on the {@code read-model} workload under deletes is red, every delete
 * missed and the projection stale, traced to the capture slot and the poller (deterministic: only
 * rows the projection already holds are deleted, and a poller of the table never sees one); and
 * {@code polling-outbox} with the lab's {@code sink naive} under {@code poller-kill-9} is red, the
 * batch the poller sent and had not marked applied twice, traced to the sink slot and the consumer
 * (deterministic: the poller parks after Kafka acknowledged a batch and before marking it, and is
 * killed there).
 * <p>
 * The dual-write service is killed at the fixed point between its commit and its send, so its loss
 * is certain; a variant that loses nothing there fails the test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LabCellsIntegrationTests {

	private Rig rig;

	@BeforeAll
	void startRig() {
		this.rig = Rig.start(Path.of("target", "lab-cells", "work"), Path.of("../outbox-relay/target/outbox-relay.jar"),
				List.of());
	}

	@AfterAll
	void stopRig() {
		if (this.rig != null) {
			this.rig.close();
		}
	}

	private ScenarioResult run(String... args) {
		LabOptions options = LabOptions.parse(List.of(args));
		ScenarioResult result = new FailureSuite(this.rig, SuiteSize.QUICK)
			.run(RunnableCells.scenario(options.cell(), SuiteSize.QUICK));
		System.out.println("lab: " + options.cell() + " " + result.verdict() + " " + result.figures() + " traced to "
				+ result.tracedTo());
		return result;
	}

	@Test
	void ourPipelineUnderABrokerKillIsGreenTracedToTheRelaysConfirmAfterAck() {
		assertOurPipelineGreen("kafka-broker-kill", Slot.CHECKPOINT, Component.RELAY);
	}

	@Test
	void ourPipelineUnderAnImmediatePostgresRestartIsGreenTracedToTheSlot() {
		assertOurPipelineGreen("postgres-restart-immediate", Slot.CAPTURE, Component.SLOT);
	}

	@Test
	void dualWriteUnderTheKillOfItsServiceBetweenCommitAndSendIsRedAttributedToCapture() {
		assertLost(run("--capture", "dual-write", "--fault", "kill-between-commit-and-send"),
				"the dual-write service lost nothing although it was killed after its commit and before its send",
				Slot.CAPTURE, Component.SENDER);
	}

	@Test
	void ourPipelineUnderAStalledKafkaLinkAndARelayKillIsGreenTracedToTheRelaysConfirmAfterAck() {
		assertOurPipelineGreen("relay-kafka-stall-then-kill-9", Slot.CHECKPOINT, Component.RELAY);
	}

	@Test
	void confirmOnSendUnderAStalledKafkaLinkAndARelayKillIsRedAttributedToTheCheckpoint() {
		assertLost(run("--checkpoint", "confirm-on-send", "--fault", "relay-kafka-stall-then-kill-9"),
				"the lab's confirm-on-send relay lost nothing although it was killed with confirmed records unsent",
				Slot.CHECKPOINT, Component.RELAY);
	}

	/** Events lost (else {@code lostNothing} says why that is a failure), no outcome unexplained, the loss traced. */
	private static void assertLost(ScenarioResult result, String lostNothing, Slot slot, Component component) {
		assertThat(result.figures().missing()).as("%s: %s", lostNothing, result.notes()).isPositive();
		assertThat(result.findings()).filteredOn((finding) -> finding.outcome().broken())
			.extracting(Finding::outcome)
			.contains(Outcome.LOST);
		assertThat(result.findings()).noneMatch(Finding::unexplained);
		assertTraced(result, Outcome.LOST, slot, component);
	}

	@Test
	void pollingTableUnderDeletesIsRedItsMissedDeletesAndStaleProjectionTracedToThePoller() {
		ScenarioResult result = run("--workload", "read-model", "--capture", "polling-table", "--fault", "delete");
		assertThat(result.passed()).as("violations of %s", result.scenario()).isFalse();
		assertThat(result.violations()).anyMatch((violation) -> violation.contains("rows deleted at the source still in "
				+ "the projection"));
		assertThat(result.findings()).filteredOn((finding) -> finding.outcome().broken())
			.extracting(Finding::outcome)
			.contains(Outcome.MISSED_DELETE, Outcome.STALE_PROJECTION)
			.doesNotContain(Outcome.LOST, Outcome.REORDERED);
		assertThat(result.findings()).noneMatch(Finding::unexplained);
		assertTraced(result, Outcome.MISSED_DELETE, Slot.CAPTURE, Component.POLLER);
		assertTraced(result, Outcome.STALE_PROJECTION, Slot.CAPTURE, Component.POLLER);
	}

	@Test
	void aNaiveSinkOnThePollingOutboxWhosePollerIsKilledBetweenSendAndMarkIsRedItsDuplicatesTracedToTheSink() {
		ScenarioResult result = run("--workload", "read-model", "--capture", "polling-outbox", "--sink", "naive", "--fault",
				"poller-kill-9");
		assertThat(result.figures().duplicates())
			.as("the poller, killed after Kafka acknowledged a batch it had not marked, sent nothing again: %s",
					result.notes())
			.isPositive();
		assertThat(result.figures().missing()).isZero();
		assertThat(result.findings()).filteredOn((finding) -> finding.outcome().broken())
			.extracting(Finding::outcome)
			.containsExactly(Outcome.DUPLICATED_EFFECT);
		assertThat(result.findings()).noneMatch(Finding::unexplained);
		assertTraced(result, Outcome.DUPLICATED_EFFECT, Slot.SINK, Component.CONSUMER);
		assertTraced(result, Outcome.NOTHING_LOST, Slot.CHECKPOINT, Component.POLLER);
	}

	/** Every invariant kept, no outcome red or unexplained, and nothing lost traced to {@code slot} and {@code component}. */
	private void assertOurPipelineGreen(String fault, Slot slot, Component component) {
		ScenarioResult result = run("--fault", fault);
		assertThat(result.violations()).as("logs in %s", this.rig.logs()).isEmpty();
		assertThat(result.findings()).as("findings of %s", result.scenario()).isNotEmpty();
		assertThat(result.findings()).as("findings of %s", result.scenario())
			.noneMatch((finding) -> finding.outcome().broken())
			.noneMatch(Finding::unexplained);
		assertTraced(result, Outcome.NOTHING_LOST, slot, component);
	}

	private static void assertTraced(ScenarioResult result, Outcome outcome, Slot slot, Component component) {
		Finding finding = result.findings().stream().filter((f) -> f.outcome() == outcome).findFirst().orElse(null);
		assertThat(finding).as("%s among the findings of %s: %s", outcome.option(), result.scenario(), result.tracedTo())
			.isNotNull();
		Rule rule = finding.rule();
		assertThat(rule).as("rule explaining %s", finding).isNotNull();
		assertThat(rule.slot()).as("slot of %s", finding).isEqualTo(slot);
		assertThat(rule.component()).as("component of %s", finding).isEqualTo(component);
	}

}
