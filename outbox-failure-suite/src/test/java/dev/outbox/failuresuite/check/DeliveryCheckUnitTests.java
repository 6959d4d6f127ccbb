package dev.outbox.failuresuite.check;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.outbox.failuresuite.check.TopicAudit.Delivered;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The checker finds each kind of breakage it reports, so that a clean table means something.
 */
class DeliveryCheckUnitTests {

	@Test
	void everyCommittedEventOnceInOrderAndAppliedOnceIsClean() {
		DeliveryCheck.Figures figures = DeliveryCheck.check(Map.of("a", 2L, "b", 1L),
				List.of(record(0, "a", "id-a1", 1), record(1, "b", "id-b1", 1), record(2, "a", "id-a2", 2)),
				Map.of("a", 2L, "b", 1L));
		assertThat(figures).isEqualTo(new DeliveryCheck.Figures(3, 3, 0, 0, 0, 0, 0, 0, 0, "", "", ""));
	}

	@Test
	void committedEventAbsentFromKafkaIsMissing() {
		DeliveryCheck.Figures figures = DeliveryCheck.check(Map.of("a", 3L), List.of(record(0, "a", "id-a1", 1)),
				Map.of("a", 1L));
		assertThat(figures.missing()).isEqualTo(2);
		assertThat(figures.firstMissing()).isEqualTo("a seq 2");
	}

	@Test
	void redeliveredIdIsADuplicateAndNotAnOrderViolation() {
		DeliveryCheck.Figures figures = DeliveryCheck.check(Map.of("a", 2L),
				List.of(record(0, "a", "id-a1", 1), record(1, "a", "id-a2", 2), record(2, "a", "id-a1", 1)),
				Map.of("a", 2L));
		assertThat(figures.duplicates()).isEqualTo(1);
		assertThat(figures.orderViolations()).isZero();
		assertThat(figures.delivered()).isEqualTo(2);
	}

	@Test
	void laterEventFirstIsAnOrderViolation() {
		DeliveryCheck.Figures figures = DeliveryCheck.check(Map.of("a", 2L),
				List.of(record(0, "a", "id-a2", 2), record(1, "a", "id-a1", 1)), Map.of("a", 2L));
		assertThat(figures.orderViolations()).isEqualTo(1);
		assertThat(figures.firstOrderViolation()).contains("seq 1").contains("after seq 2");
	}

	@Test
	void eventBeyondTheCommittedVersionIsAPhantom() {
		DeliveryCheck.Figures figures = DeliveryCheck.check(Map.of("a", 1L),
				List.of(record(0, "a", "id-a1", 1), record(1, "a", "id-a2", 2)), Map.of("a", 2L));
		assertThat(figures.phantoms()).isEqualTo(1);
	}

	@Test
	void oneEventUnderTwoIdsIsInconsistent() {
		DeliveryCheck.Figures figures = DeliveryCheck.check(Map.of("a", 1L),
				List.of(record(0, "a", "id-a1", 1), record(1, "a", "id-other", 1)), Map.of("a", 2L));
		assertThat(figures.inconsistent()).isEqualTo(1);
	}

	@Test
	void counterAboveTheDistinctEventsIsAnEffectAppliedMoreThanOnce() {
		DeliveryCheck.Figures figures = DeliveryCheck.check(Map.of("a", 2L, "b", 1L),
				List.of(record(0, "a", "id-a1", 1), record(1, "a", "id-a2", 2), record(2, "b", "id-b1", 1)),
				Map.of("a", 3L, "b", 0L));
		assertThat(figures.effectsAppliedMoreThanOnce()).isEqualTo(1);
		assertThat(figures.effectsNotApplied()).isEqualTo(1);
	}

	@Test
	void baselineLossIsReportedButNotAViolation() {
		DeliveryCheck.Figures figures = DeliveryCheck.check(Map.of("a", 2L), List.of(record(0, "a", "id-a1", 1)),
				Map.of("a", 1L));
		ScenarioResult baseline = ScenarioResult.judge("baseline", "kill", 1, figures, 0, List.of(), "nothing", true,
				List.of(), List.of(), java.time.Duration.ZERO);
		ScenarioResult pipeline = ScenarioResult.judge("pipeline", "kill", 1, figures, 0, List.of(), "checkpoint", false,
				List.of(), List.of(), java.time.Duration.ZERO);
		assertThat(baseline.passed()).isTrue();
		assertThat(baseline.verdict()).isEqualTo("LOSS (expected)");
		assertThat(pipeline.passed()).isFalse();
		assertThat(pipeline.violations()).singleElement().asString().startsWith("1 committed events missing");
	}

	private static Delivered record(long offset, String key, String id, long seq) {
		return new Delivered(0, offset, key, id, key, seq);
	}

}
