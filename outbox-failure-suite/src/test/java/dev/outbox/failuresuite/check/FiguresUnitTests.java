package dev.outbox.failuresuite.check;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.outbox.testsupport.delivery.Delivery;
import dev.outbox.testsupport.delivery.DeliveryCheck;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The suite's figures: the shared delivery checker over the workload's numbered events, and the
 * consumer's effects against what was delivered; a clean row means something.
 */
class FiguresUnitTests {

	@Test
	void everyCommittedEventOnceInOrderAndAppliedOnceIsClean() {
		Figures figures = figures(Map.of("a", 2L, "b", 1L),
				List.of(record(0, "a", "id-a1", 1), record(1, "b", "id-b1", 1), record(2, "a", "id-a2", 2)),
				Map.of("a", 2L, "b", 1L));
		assertThat(figures).isEqualTo(new Figures(3, 3, 0, 0, 0, 0, 0, 0, 0, "", "", ""));
	}

	@Test
	void missingEventIsNamedByAggregateAndSequence() {
		Figures figures = figures(Map.of("a", 3L), List.of(record(0, "a", "id-a1", 1)), Map.of("a", 1L));
		assertThat(figures.missing()).isEqualTo(2);
		assertThat(figures.firstMissing()).isEqualTo("a seq 2 (key a)");
	}

	@Test
	void sequenceBeyondTheCommittedVersionIsAPhantom() {
		Figures figures = figures(Map.of("a", 1L), List.of(record(0, "a", "id-a1", 1), record(1, "a", "id-a2", 2)),
				Map.of("a", 2L));
		assertThat(figures.phantoms()).isEqualTo(1);
		assertThat(figures.orderViolations()).isZero();
	}

	@Test
	void oneSequenceUnderTwoIdsIsInconsistent() {
		Figures figures = figures(Map.of("a", 1L), List.of(record(0, "a", "id-a1", 1), record(1, "a", "id-other", 1)),
				Map.of("a", 2L));
		assertThat(figures.inconsistent()).isEqualTo(1);
	}

	@Test
	void counterAboveTheDistinctEventsIsAnEffectAppliedMoreThanOnce() {
		Figures figures = figures(Map.of("a", 2L, "b", 1L),
				List.of(record(0, "a", "id-a1", 1), record(1, "a", "id-a2", 2), record(2, "b", "id-b1", 1)),
				Map.of("a", 3L, "b", 0L));
		assertThat(figures.effectsAppliedMoreThanOnce()).isEqualTo(1);
		assertThat(figures.effectsNotApplied()).isEqualTo(1);
	}

	@Test
	void recordsWithoutAKeyCountForTheAggregateTheirEventWasCommittedUnder() {
		List<Delivery> keyless = List.of(new Delivery(null, SequencedEvents.name("a", 2), "id-a2", 0, 0),
				new Delivery(null, SequencedEvents.name("b", 1), "id-b1", 0, 1),
				new Delivery(null, SequencedEvents.name("a", 1), "id-a1", 1, 0));
		Figures figures = figures(Map.of("a", 2L, "b", 1L), keyless, Map.of("a", 2L, "b", 1L));
		assertThat(figures.effectsAppliedMoreThanOnce()).isZero();
		assertThat(figures.effectsNotApplied()).isZero();
		assertThat(figures.orderViolations()).isEqualTo(1);
		assertThat(figures(Map.of("a", 2L, "b", 1L), keyless, Map.of("a", 3L, "b", 0L)).effectsAppliedMoreThanOnce())
			.isEqualTo(1);
	}

	@Test
	void baselineLossIsReportedButNotAViolation() {
		Figures figures = figures(Map.of("a", 2L), List.of(record(0, "a", "id-a1", 1)), Map.of("a", 1L));
		ScenarioResult baseline = ScenarioResult.judge("baseline", "kill", 1, figures, 0, List.of(), List.of(), true,
				List.of(), List.of(), Duration.ZERO);
		ScenarioResult pipeline = ScenarioResult.judge("pipeline", "kill", 1, figures, 0, List.of(), List.of(), false,
				List.of(), List.of(), Duration.ZERO);
		assertThat(baseline.passed()).isTrue();
		assertThat(baseline.verdict()).isEqualTo("LOSS (expected)");
		assertThat(pipeline.passed()).isFalse();
		assertThat(pipeline.violations()).singleElement().asString().startsWith("1 committed events missing");
	}

	private static Figures figures(Map<String, Long> versions, List<Delivery> records, Map<String, Long> applied) {
		return Figures.of(DeliveryCheck.examine(SequencedEvents.committed(versions), records), applied);
	}

	private static Delivery record(long offset, String key, String id, long seq) {
		return new Delivery(key, SequencedEvents.name(key, seq), id, 0, offset);
	}

}
