package dev.outbox.failuresuite.lab;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.outbox.failuresuite.SuiteSize;
import dev.outbox.failuresuite.scenario.Scenario;
import dev.outbox.failuresuite.scenario.Scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * A cell is a workload through a pipeline under a fault; a fault at a component the pipeline's
 * capture lacks is refused, saying what would fit.
 */
class CellUnitTests {

	@Test
	void ourPipelineTakesEveryFaultOfTheFailureSuite() {
		for (Fault fault : new Fault[] { Fault.RELAY_KILL_9, Fault.POSTGRES_RESTART_IMMEDIATE, Fault.KAFKA_BROKER_KILL,
				Fault.RETAINED_WAL_CRITICAL, Fault.STANDBY_TAKEOVER, Fault.POSTGRES_FAILOVER, Fault.SERVICE_KILL_9,
				Fault.DELETE }) {
			assertThat(new Cell(Workload.MICROSERVICE_EVENTS, Pipeline.OURS, fault).fault()).isEqualTo(fault);
		}
	}

	@Test
	void everyFaultOfTheFailureSuiteIsALabFaultUnderItsScenarioId() {
		List<String> scenarios = Scenarios.all(SuiteSize.QUICK).stream()
			.filter((scenario) -> Scenario.TABLE_MODE.equals(scenario.writeMode()) && !scenario.lossExpected())
			.map(Scenario::id)
			.toList();
		assertThat(scenarios).hasSize(13);
		assertThat(Arrays.stream(Fault.values()).map(Fault::option)).containsAll(scenarios);
	}

	@Test
	void cellIsBuiltFromTheCommandLinesWords() {
		Cell cell = Cell.of("search-index", Map.of("capture", "polling-table"), "delete");
		assertThat(cell.workload()).isEqualTo(Workload.SEARCH_INDEX);
		assertThat(cell.pipeline().capture()).isEqualTo(Capture.POLLING_TABLE);
		assertThat(cell.fault()).isEqualTo(Fault.DELETE);
		assertThat(cell.toString()).startsWith("search-index × [capture=polling-table").endsWith("× delete");
	}

	@Test
	void dualWriteTakesTheKillBetweenCommitAndSend() {
		Cell cell = Cell.of("microservice-events", Map.of("capture", "dual-write"), "kill-between-commit-and-send");
		assertThat(cell.pipeline().components()).contains(Component.SENDER);
	}

	@Test
	void relayFaultOnAPollerIsRefusedNamingTheComponentCaptureAndFix() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Cell.of("search-index", Map.of("capture", "polling-table"), "relay-kill-9"))
			.withMessageStartingWith("fault relay-kill-9 is fired at the relay, which capture polling-table lacks")
			.withMessageContaining("choose a capture that has it (log)")
			.withMessageContaining("or a fault this pipeline has the components for: ")
			.withMessageContaining("poller-kill-9")
			.withMessageContaining("delete");
	}

	@Test
	void killBetweenCommitAndSendOnOurPipelineIsRefusedSinceItHasNoSendAfterCommit() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Cell(Workload.MICROSERVICE_EVENTS, Pipeline.OURS, Fault.KILL_BETWEEN_COMMIT_AND_SEND))
			.withMessageContaining("the service's send after commit, which capture log lacks")
			.withMessageContaining("(dual-write)");
	}

	@Test
	void unknownWorkloadOrFaultIsRefusedListingTheValues() {
		assertThatIllegalArgumentException().isThrownBy(() -> Cell.of("ledger", Map.of(), "relay-kill-9"))
			.withMessage("workload: unknown value 'ledger'; choose one of search-index, audit-log, microservice-events, "
					+ "read-model");
		assertThatIllegalArgumentException().isThrownBy(() -> Cell.of("search-index", Map.of(), "meteor"))
			.withMessageStartingWith("fault: unknown value 'meteor'; choose one of relay-kill-9, relay-graceful-restart");
	}

}
