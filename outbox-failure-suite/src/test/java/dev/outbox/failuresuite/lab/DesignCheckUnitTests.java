package dev.outbox.failuresuite.lab;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A design's own breakages are its finding; a breakage traced to a slot that holds our value, or an
 * unexplained outcome, is a surprise.
 */
class DesignCheckUnitTests {

	private static final Finding LOST_AT_CAPTURE = new Finding(Outcome.LOST, "3 committed events never delivered",
			rule(Outcome.LOST, Slot.CAPTURE));

	private static final Finding DUPLICATED_AT_SINK = new Finding(Outcome.DUPLICATED_EFFECT, "2 effects applied twice",
			rule(Outcome.DUPLICATED_EFFECT, Slot.SINK));

	@Test
	void aBreakageTracedToTheSlotWhereTheDesignDiffersFromOursIsItsFinding() {
		assertThat(DesignCheck.surprises(Pipeline.of(Map.of("capture", "dual-write")), List.of(LOST_AT_CAPTURE), List.of())).isEmpty();
		assertThat(DesignCheck.surprises(Pipeline.of(Map.of("sink", "naive")), List.of(DUPLICATED_AT_SINK), List.of())).isEmpty();
	}

	@Test
	void aBreakageTracedToASlotHoldingOurValueIsASurprise() {
		assertThat(DesignCheck.surprises(Pipeline.of(Map.of("sink", "naive")), List.of(LOST_AT_CAPTURE), List.of()))
			.singleElement()
			.asString()
			.startsWith("lost");
		assertThat(DesignCheck.surprises(Pipeline.OURS, List.of(DUPLICATED_AT_SINK), List.of())).hasSize(1);
	}

	@Test
	void anUnexplainedOutcomeIsASurpriseForEveryDesign() {
		Finding unexplained = new Finding(Outcome.LOST, "1 committed event never delivered", null);
		assertThat(DesignCheck.surprises(Pipeline.of(Map.of("capture", "dual-write")), List.of(unexplained), List.of())).hasSize(1);
	}

	@Test
	void ourPipelineInAnyWriteModeIsHeldToEveryInvariantAnotherDesignToThoseItKeeps() {
		List<String> violations = List.of("1 committed events missing from Kafka");
		assertThat(DesignCheck.surprises(Pipeline.of(Map.of("write-mode", "message")), List.of(), violations))
			.containsExactly("our pipeline broke: 1 committed events missing from Kafka");
		assertThat(DesignCheck.surprises(Pipeline.of(Map.of("sink", "naive")), List.of(DUPLICATED_AT_SINK),
				List.of("2 consumer effects applied more than once")))
			.isEmpty();
	}

	private static Rule rule(Outcome outcome, Slot slot) {
		return DecisionTable.RULES.stream()
			.filter((rule) -> rule.outcome() == outcome && rule.slot() == slot)
			.findFirst()
			.orElseThrow();
	}

}
