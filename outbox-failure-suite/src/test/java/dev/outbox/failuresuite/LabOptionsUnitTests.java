package dev.outbox.failuresuite;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.outbox.failuresuite.lab.Capture;
import dev.outbox.failuresuite.lab.Fault;
import dev.outbox.failuresuite.lab.Pipeline;
import dev.outbox.failuresuite.lab.Sink;
import dev.outbox.failuresuite.lab.Workload;
import dev.outbox.failuresuite.lab.WriteMode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The lab command's options: a cell from the slots given, our defaults for the rest, and a clear
 * error naming the option and the fix for anything else.
 */
class LabOptionsUnitTests {

	@Test
	void onlyAFaultRunsOurPipelineOnTheFailureSuitesWorkloadAtFullSize() {
		LabOptions options = LabOptions.parse(List.of("--fault", "relay-kill-9"));
		assertThat(options.cell().pipeline()).isEqualTo(Pipeline.OURS);
		assertThat(options.cell().workload()).isEqualTo(Workload.MICROSERVICE_EVENTS);
		assertThat(options.cell().fault()).isEqualTo(Fault.RELAY_KILL_9);
		assertThat(options.size()).isEqualTo(SuiteSize.FULL);
		assertThat(options.results()).isEqualTo(LabOptions.DEFAULT_RESULTS);
	}

	@Test
	void everySlotIsReadInEitherSpelling() {
		LabOptions options = LabOptions.parse(List.of("--workload=read-model", "--capture", "log", "--write-mode=message",
				"--key", "none", "--checkpoint=confirm-on-send", "--sink", "naive", "--slot-guard=off", "--fault",
				"relay-kafka-stall-then-kill-9", "--quick", "--results", "/tmp/lab-out"));
		Pipeline pipeline = options.cell().pipeline();
		assertThat(pipeline.toString())
			.isEqualTo("[capture=log write-mode=message key=none checkpoint=confirm-on-send sink=naive slot-guard=off]");
		assertThat(options.cell().workload()).isEqualTo(Workload.READ_MODEL);
		assertThat(options.size()).isEqualTo(SuiteSize.QUICK);
		assertThat(options.results()).isEqualTo(Path.of("/tmp/lab-out"));
	}

	@Test
	void aCaptureWithoutTheStarterGetsNoWriteModeAndTheGuardOff() {
		Pipeline pipeline = LabOptions.parse(List.of("--capture", "dual-write", "--fault", "service-kill-9"))
			.cell()
			.pipeline();
		assertThat(pipeline.capture()).isEqualTo(Capture.DUAL_WRITE);
		assertThat(pipeline.writeMode()).isEqualTo(WriteMode.NONE);
		assertThat(pipeline.sink()).isEqualTo(Sink.IDEMPOTENT);
	}

	@Test
	void missingFaultIsRefusedListingTheFaultsThatFitThePipeline() {
		assertThatIllegalArgumentException().isThrownBy(() -> LabOptions.parse(List.of("--capture", "dual-write")))
			.withMessageStartingWith("option --fault is missing; faults that fit pipeline [capture=dual-write")
			.withMessageContaining("service-kill-9")
			.withMessageContaining("kill-between-commit-and-send")
			.withMessageNotContaining("relay-kill-9");
	}

	@Test
	void unknownOptionIsRefusedListingTheOptions() {
		assertThatIllegalArgumentException().isThrownBy(() -> LabOptions.parse(List.of("--sinks", "naive")))
			.withMessageStartingWith("unknown option --sinks; options are --workload (")
			.withMessageContaining("--sink, --slot-guard, --fault, --quick, --matrix, --results DIR");
	}

	@Test
	void bareWordIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> LabOptions.parse(List.of("relay-kill-9")))
			.withMessageStartingWith("unexpected argument 'relay-kill-9'; options are");
	}

	@Test
	void optionWithoutValueIsRefusedShowingHowToWriteIt() {
		assertThatIllegalArgumentException().isThrownBy(() -> LabOptions.parse(List.of("--capture", "--fault", "x")))
			.withMessage("option --capture needs a value: --capture VALUE or --capture=VALUE");
		assertThatIllegalArgumentException().isThrownBy(() -> LabOptions.parse(List.of("--fault=")))
			.withMessage("option --fault needs a value, was empty");
	}

	@Test
	void repeatedOptionIsRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> LabOptions.parse(List.of("--fault", "relay-kill-9", "--fault=kafka-broker-kill")))
			.withMessage("option --fault given twice (relay-kill-9, kafka-broker-kill); give it once");
	}

	@Test
	void unknownValueIsRefusedNamingTheSlotAndItsValues() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> LabOptions.parse(List.of("--capture", "cdc", "--fault", "relay-kill-9")))
			.withMessage("slot capture: unknown value 'cdc'; choose one of dual-write, polling-table, polling-outbox, log");
	}

	@Test
	void pipelineThatMakesNoSenseIsRefusedByThePipelineModel() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> LabOptions.parse(
					List.of("--capture", "dual-write", "--write-mode", "message", "--fault", "service-kill-9")))
			.withMessageContaining("makes no sense: write-mode message with capture dual-write");
	}

	@Test
	void faultThePipelineLacksTheComponentForIsRefusedByTheCellModel() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> LabOptions.parse(List.of("--capture", "dual-write", "--fault", "relay-kill-9")))
			.withMessageStartingWith("fault relay-kill-9 is fired at the relay, which capture dual-write lacks");
	}

}
