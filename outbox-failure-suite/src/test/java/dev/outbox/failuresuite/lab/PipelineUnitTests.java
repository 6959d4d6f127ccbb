package dev.outbox.failuresuite.lab;

import java.util.Arrays;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.outbox.starter.write.OutboxWriteMode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * A pipeline is six slots whose defaults are ours; combinations that make no sense are refused
 * naming the slots and the fix.
 */
class PipelineUnitTests {

	@Test
	void noSlotGivenIsOurPipeline() {
		Pipeline pipeline = Pipeline.of(Map.of());
		assertThat(pipeline).isEqualTo(Pipeline.OURS);
		assertThat(pipeline.ours()).isTrue();
		assertThat(pipeline).hasToString(
				"[capture=log write-mode=table key=aggregate_id checkpoint=as-shipped sink=idempotent slot-guard=on]");
	}

	@Test
	void givenSlotsReplaceTheDefaultsAndTheRestStayOurs() {
		Pipeline pipeline = Pipeline.of(Map.of("write-mode", "message", "sink", "naive", "key", "none"));
		assertThat(pipeline).isEqualTo(new Pipeline(Capture.LOG, WriteMode.MESSAGE, Key.NONE, Checkpoint.AS_SHIPPED,
				Sink.NAIVE, SlotGuard.ON));
		assertThat(pipeline.ours()).isFalse();
		assertThat(pipeline.in(Slot.SINK)).isEqualTo(Sink.NAIVE);
	}

	@Test
	void captureWithoutStarterOrSlotGetsNoWriteModeAndNoGuardByDefault() {
		Pipeline pipeline = Pipeline.of(Map.of("capture", "polling-table", "sink", "naive"));
		assertThat(pipeline.writeMode()).isEqualTo(WriteMode.NONE);
		assertThat(pipeline.slotGuard()).isEqualTo(SlotGuard.OFF);
		assertThat(pipeline.components()).contains(Component.POLLER).doesNotContain(Component.RELAY, Component.SLOT);
	}

	@Test
	void writeModeWithDualWriteIsRefusedNamingBothSlotsAndTheFix() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Pipeline.of(Map.of("capture", "dual-write", "write-mode", "message")))
			.withMessageContaining("write-mode message with capture dual-write")
			.withMessageContaining("omit write-mode (or set none), or choose capture log");
	}

	@Test
	void logCaptureWithoutWriteModeIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> Pipeline.of(Map.of("write-mode", "none")))
			.withMessageContaining("write-mode none with capture log")
			.withMessageContaining("choose one of table, message, retain");
	}

	@Test
	void confirmOnSendAndSlotGuardWithoutARelayAreRefusedTogether() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Pipeline.of(
					Map.of("capture", "polling-outbox", "checkpoint", "confirm-on-send", "slot-guard", "on")))
			.withMessageContaining("checkpoint confirm-on-send with capture polling-outbox")
			.withMessageContaining("use checkpoint as-shipped, or choose capture log")
			.withMessageContaining("slot-guard on with capture polling-outbox")
			.withMessageContaining("set slot-guard off (or omit it), or choose capture log");
	}

	@Test
	void unknownSlotOrValueIsRefusedListingWhatExists() {
		assertThatIllegalArgumentException().isThrownBy(() -> Pipeline.of(Map.of("transport", "log")))
			.withMessage("slot: unknown value 'transport'; choose one of capture, write-mode, key, checkpoint, sink, "
					+ "slot-guard");
		assertThatIllegalArgumentException().isThrownBy(() -> Pipeline.of(Map.of("capture", "cdc")))
			.withMessage("slot capture: unknown value 'cdc'; choose one of dual-write, polling-table, polling-outbox, log");
	}

	@Test
	void everyWriteModeOfTheStarterIsAValueOfTheSlot() {
		assertThat(Arrays.stream(WriteMode.values()).map(WriteMode::starterMode).filter((mode) -> mode != null))
			.containsExactlyInAnyOrder(OutboxWriteMode.values());
	}

}
