package dev.outbox.failuresuite;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import dev.outbox.failuresuite.lab.Capture;
import dev.outbox.failuresuite.lab.Cell;
import dev.outbox.failuresuite.lab.Choice;
import dev.outbox.failuresuite.lab.Key;
import dev.outbox.failuresuite.lab.Pipeline;
import dev.outbox.failuresuite.lab.Sink;
import dev.outbox.failuresuite.lab.SlotGuard;
import dev.outbox.failuresuite.lab.Workload;
import dev.outbox.failuresuite.scenario.Scenario;
import dev.outbox.failuresuite.scenario.Scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * A lab cell runs on the failure-suite scenario that runs it; any other cell is refused naming
 * what it needs that is not built yet, never run as something else.
 */
class RunnableCellsUnitTests {

	private static Scenario scenario(String workload, Map<String, String> slots, String fault) {
		return RunnableCells.scenario(Cell.of(workload, slots, fault), SuiteSize.QUICK);
	}

	@Test
	void everyFailureSuiteScenarioIsTheCellItRuns() {
		for (Scenario scenario : Scenarios.all(SuiteSize.QUICK)) {
			assertThat(RunnableCells.scenario(scenario.cell(), SuiteSize.QUICK).id()).isEqualTo(scenario.id());
		}
	}

	@Test
	void ourPipelineUnderAFaultRunsItsScenario() {
		Scenario scenario = scenario("microservice-events", Map.of(), "relay-kill-9");
		assertThat(scenario.id()).isEqualTo("relay-kill-9");
		assertThat(scenario.cell().pipeline()).isEqualTo(Pipeline.OURS);
	}

	@Test
	void dualWriteUnderTheServiceKillRunsTheBaseline() {
		Scenario scenario = scenario("microservice-events", Map.of("capture", "dual-write"), "service-kill-9");
		assertThat(scenario.id()).isEqualTo("dual-write-baseline");
		assertThat(scenario.lossExpected()).isTrue();
	}

	@Test
	void anotherWriteModeRunsOurScenarioWithTheServiceWritingInIt() {
		Scenario scenario = scenario("microservice-events", Map.of("write-mode", "retain"), "kafka-broker-kill");
		assertThat(scenario.id()).isEqualTo("kafka-broker-kill-retain");
		assertThat(scenario.writeMode()).isEqualTo("retain");
	}

	@Test
	void aPollingCaptureUnderAFaultThatBitesPollersRunsItsReadModelCell() {
		Scenario scenario = scenario("read-model", Map.of("capture", "polling-table"), "delete");
		assertThat(scenario.id()).isEqualTo("read-model-polling-table-delete");
		assertThat(scenario.lossExpected()).isFalse();
		assertThat(scenario("read-model", Map.of("capture", "polling-outbox"), "long-transaction").id())
			.isEqualTo("read-model-polling-outbox-long-transaction");
	}

	@Test
	void aPollingCaptureWithTheNaiveSinkRunsItsReadModelCellWithTheProjectionWithoutTheInbox() {
		Scenario scenario = scenario("read-model", Map.of("capture", "polling-table", "sink", "naive"), "delete");
		assertThat(scenario.id()).isEqualTo("read-model-polling-table-naive-delete");
		assertThat(scenario.cell().pipeline().sink()).isEqualTo(Sink.NAIVE);
		assertThat(scenario("read-model", Map.of("capture", "polling-outbox", "sink", "naive"), "poller-kill-9").id())
			.isEqualTo("read-model-polling-outbox-naive-poller-kill-9");
	}

	@Test
	void slotVariantsOfAPollerAreRefusedNamingTheVariantAndWhatThePollersRun() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> scenario("read-model", Map.of("capture", "polling-table", "key", "none"), "delete"))
			.withMessageStartingWith("cell read-model × [capture=polling-table")
			.withMessageContaining("cannot run yet: key none needs a scenario with this capture (it runs with capture log)")
			.withMessageContaining("Runs today: workload search-index, audit-log, microservice-events, read-model; "
					+ "capture dual-write")
			.withMessageContaining("capture polling-table (write-mode none, key aggregate_id, checkpoint as-shipped, sink "
					+ "idempotent, naive, slot-guard off) under fault poller-kill-9, delete, update-then-delete, "
					+ "long-transaction;");
	}

	@Test
	void theSearchIndexRunsThroughOurPipelineAndThePollersUnderDeletesAndThroughOursUnderRelayKills() {
		assertThat(scenario("search-index", Map.of("capture", "polling-table"), "delete").id())
			.isEqualTo("search-index-polling-table-delete");
		assertThat(scenario("search-index", Map.of(), "update-then-delete").id())
			.isEqualTo("search-index-log-update-then-delete");
		Scenario relayKill = scenario("search-index", Map.of("write-mode", "message"), "relay-kill-9");
		assertThat(relayKill.id()).isEqualTo("search-index-log-relay-kill-9-message");
		assertThat(relayKill.writeMode()).isEqualTo("message");
	}

	@Test
	void theAuditLogRunsThroughOurPipelineTheNaiveSinkThePollersAndDualWrite() {
		assertThat(scenario("audit-log", Map.of(), "relay-kill-9").id()).isEqualTo("audit-log-log-relay-kill-9");
		Scenario naive = scenario("audit-log", Map.of("sink", "naive"), "relay-kill-9");
		assertThat(naive.id()).isEqualTo("audit-log-log-naive-relay-kill-9");
		assertThat(naive.cell().pipeline().sink()).isEqualTo(Sink.NAIVE);
		assertThat(scenario("audit-log", Map.of("capture", "polling-outbox"), "update-then-delete").id())
			.isEqualTo("audit-log-polling-outbox-update-then-delete");
		Scenario dualWrite = scenario("audit-log", Map.of("capture", "dual-write"), "kill-between-commit-and-send");
		assertThat(dualWrite.id()).isEqualTo("audit-log-dual-write-kill-between-commit-and-send");
		assertThat(dualWrite.lossExpected()).isTrue();
	}

	@Test
	void anItemWorkloadUnderAFaultItHasNoScenarioForIsRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> scenario("search-index", Map.of(), "kafka-broker-kill"))
			.withMessageStartingWith("cell search-index × ")
			.withMessageContaining("no scenario runs this combination");
	}

	@Test
	void confirmOnSendUnderAStalledLinkAndAKillRunsTheLabsRelayVariantWhereLossIsThePoint() {
		Scenario scenario = scenario("microservice-events", Map.of("checkpoint", "confirm-on-send"),
				"relay-kafka-stall-then-kill-9");
		assertThat(scenario.id()).isEqualTo("confirm-on-send-stall-then-kill");
		assertThat(scenario.lossExpected()).isTrue();
		Scenario ours = scenario("microservice-events", Map.of(), "relay-kafka-stall-then-kill-9");
		assertThat(ours.id()).isEqualTo("relay-kafka-stall-then-kill-9");
		assertThat(ours.lossExpected()).isFalse();
	}

	@Test
	void aNaiveSinkUnderRelayKillsRunsOurScenarioWithTheConsumerWithoutTheInbox() {
		Scenario scenario = scenario("microservice-events", Map.of("sink", "naive"), "relay-kill-9");
		assertThat(scenario.id()).isEqualTo("naive-sink-relay-kill-9");
		assertThat(scenario.cell().pipeline().sink()).isEqualTo(Sink.NAIVE);
		assertThat(scenario.lossExpected()).isFalse();
	}

	@Test
	void keyNoneUnderRelayKillsRunsOurScenarioWithTheLabsKeylessRelay() {
		Scenario scenario = scenario("microservice-events", Map.of("key", "none"), "relay-kill-9");
		assertThat(scenario.id()).isEqualTo("keyless-relay-kill-9");
		assertThat(scenario.cell().pipeline().key()).isEqualTo(Key.NONE);
		assertThat(scenario.lossExpected()).isFalse();
	}

	@Test
	void slotGuardOffUnderRetainedWalRunsTheRetainedWalScenarioWithoutTheGuard() {
		Scenario scenario = scenario("microservice-events", Map.of("slot-guard", "off"), "retained-wal-critical");
		assertThat(scenario.id()).isEqualTo("slot-guard-off-retained-wal-critical");
		assertThat(scenario.cell().pipeline().slotGuard()).isEqualTo(SlotGuard.OFF);
		assertThat(scenario.cell().pipeline().capture()).isEqualTo(Capture.LOG);
	}

	@Test
	void slotVariantsOfOurPipelineUnderAFaultTheyHaveNoScenarioForAreRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> scenario("microservice-events", Map.of("key", "none", "slot-guard", "off"),
					"relay-kill-9"))
			.withMessageContaining("no scenario runs this combination")
			.withMessageContaining("capture log (write-mode table, message, retain, key aggregate_id, none, checkpoint "
					+ "as-shipped, confirm-on-send, sink idempotent, naive, slot-guard on, off) under fault relay-kill-9, ");
	}

	@Test
	void confirmOnSendUnderAFaultItHasNoScenarioForIsRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> scenario("microservice-events", Map.of("checkpoint", "confirm-on-send"), "relay-kill-9"))
			.withMessageContaining("no scenario runs this combination");
	}

	@Test
	void dualWriteUnderAFaultOnlyOurPipelineRunsIsRefusedSayingWhatDualWriteRuns() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> scenario("microservice-events", Map.of("capture", "dual-write"), "postgres-restart-fast"))
			.withMessageContaining("cannot run yet: fault postgres-restart-fast with capture dual-write needs a "
					+ "scenario firing it at this capture")
			.withMessageContaining("capture dual-write (write-mode none, key aggregate_id, checkpoint as-shipped, sink "
					+ "idempotent, slot-guard off) under fault service-kill-9, kill-between-commit-and-send;");
	}

	@Test
	void dualWriteUnderTheFixedPointKillRunsTheLabsScenarioWhereLossIsThePoint() {
		Scenario scenario = scenario("microservice-events", Map.of("capture", "dual-write"),
				"kill-between-commit-and-send");
		assertThat(scenario.id()).isEqualTo("dual-write-kill-between-commit-and-send");
		assertThat(scenario.lossExpected()).isTrue();
	}

	@Test
	void everyValueNoScenarioRunsSaysWhatItNeedsAndNoValueOurPipelineRunsDoes() {
		Set<Cell> runnable = RunnableCells.all(SuiteSize.QUICK);
		Set<Choice> runs = choices(runnable);
		Set<Choice> ourPipelineRuns = choices(
				runnable.stream().filter((cell) -> cell.pipeline().capture() == Capture.LOG).collect(Collectors.toSet()));
		assertThat(RunnableCells.NOT_BUILT.keySet())
			.containsAll(RunnableCells.everyChoice().stream().filter((choice) -> !runs.contains(choice)).toList())
			.doesNotContainAnyElementsOf(ourPipelineRuns);
		assertThat(runnable).extracting(Cell::workload).containsOnly(Workload.values());
		assertThat(runnable).extracting((cell) -> cell.pipeline().capture())
			.containsOnly(Capture.LOG, Capture.DUAL_WRITE, Capture.POLLING_TABLE, Capture.POLLING_OUTBOX);
	}

	private static Set<Choice> choices(Set<Cell> cells) {
		return cells.stream()
			.flatMap((cell) -> Stream.of(cell.workload(), cell.pipeline().capture(), cell.pipeline().writeMode(),
					cell.pipeline().key(), cell.pipeline().checkpoint(), cell.pipeline().sink(), cell.pipeline().slotGuard(),
					cell.fault()))
			.collect(Collectors.toSet());
	}

}
