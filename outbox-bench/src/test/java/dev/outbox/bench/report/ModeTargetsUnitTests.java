package dev.outbox.bench.report;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.outbox.bench.Runs;
import dev.outbox.bench.WriteMode;
import dev.outbox.bench.WritePathVariant;

import static org.assertj.core.api.Assertions.assertThat;

class ModeTargetsUnitTests {

	static Runs.WritePath jpa(WriteMode mode, int events, double ofNone) {
		return new Runs.WritePath((mode == null) ? WritePathVariant.NONE : new WritePathVariant(mode, events), 1000 * ofNone,
				"[]", 2000, ofNone, 300, 200);
	}

	static Runs.PostgresWritePath sql(WriteMode mode, int events, double ofNone) {
		return new Runs.PostgresWritePath(new WritePathVariant(mode, events), 5000 * ofNone, "[]", ofNone, 20, 200);
	}

	@Test
	void theStarterMayLoseAtMostFivePointsAgainstPgbenchForTheSameSqlPerModeAndEventCount() {
		List<Runs.WritePath> starter = List.of(jpa(null, 0, 1), jpa(WriteMode.TABLE, 1, 0.70),
				jpa(WriteMode.TABLE, 10, 0.40), jpa(WriteMode.MESSAGE, 1, 0.81), jpa(WriteMode.MESSAGE, 10, 0.52));
		List<Runs.PostgresWritePath> postgres = List.of(sql(WriteMode.TABLE, 1, 0.75), sql(WriteMode.TABLE, 10, 0.46),
				sql(WriteMode.MESSAGE, 1, 0.86), sql(WriteMode.MESSAGE, 10, 0.57));
		List<Target> targets = ModeTargets.writePath(starter, postgres);
		assertThat(targets).extracting(Target::name, Target::value, Target::met)
			.containsExactly(
					org.assertj.core.groups.Tuple.tuple("write path, table, 1 event: of none >= pgbench's - 5 points",
							"70 % vs 75 % (-5 points)", true),
					org.assertj.core.groups.Tuple.tuple("write path, table, 10 events: of none >= pgbench's - 5 points",
							"40 % vs 46 % (-6 points)", false),
					org.assertj.core.groups.Tuple.tuple("write path, message, 1 event: of none >= pgbench's - 5 points",
							"81 % vs 86 % (-5 points)", true),
					org.assertj.core.groups.Tuple.tuple("write path, message, 10 events: of none >= pgbench's - 5 points",
							"52 % vs 57 % (-5 points)", true),
					org.assertj.core.groups.Tuple.tuple("write path, message, 1 event >= 80 % of no event", "81 %", true),
					org.assertj.core.groups.Tuple.tuple("write path, table, 10 events >= 50 % of no event", "40 %", false));
	}

	@Test
	void noTableModeTargetAsksForEightyPercentAnyMore() {
		List<Target> targets = ModeTargets.writePath(List.of(jpa(WriteMode.TABLE, 1, 0.60)), List.of());
		assertThat(targets).isEmpty();
	}

	@Test
	void aMessageBacklogMustDrainAtLeastAsFastAsATableBacklogWithNoMoreCpuPerTransactionSize() {
		List<Target> targets = ModeTargets.drains(List.of(
				new ModeTargets.DrainFigures(WriteMode.TABLE, 1, 50_000, 1.20),
				new ModeTargets.DrainFigures(WriteMode.TABLE, 10, 80_000, 0.90),
				new ModeTargets.DrainFigures(WriteMode.MESSAGE, 1, 52_000, 1.25),
				new ModeTargets.DrainFigures(WriteMode.MESSAGE, 10, 79_000, 0.80)));
		assertThat(targets).extracting(Target::name, Target::met)
			.containsExactly(
					org.assertj.core.groups.Tuple.tuple("relay drain, message backlog >= table backlog, 1 event/tx", true),
					org.assertj.core.groups.Tuple.tuple("relay CPU per 100k, message <= table, 1 event/tx", false),
					org.assertj.core.groups.Tuple.tuple("relay drain, message backlog >= table backlog, 10 events/tx", false),
					org.assertj.core.groups.Tuple.tuple("relay CPU per 100k, message <= table, 10 events/tx", true));
		assertThat(targets.get(0).value()).isEqualTo("52,000 vs 50,000 events/s");
		assertThat(ModeTargets.drains(List.of(new ModeTargets.DrainFigures(WriteMode.TABLE, 1, 1, 1)))).isEmpty();
	}

}
