package dev.outbox.bench.writepath;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.outbox.bench.Runs;
import dev.outbox.bench.WriteMode;
import dev.outbox.bench.WritePathLines;
import dev.outbox.bench.WritePathVariant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

class WritePathRunUnitTests {

	@Test
	void resultLinesGiveEachVariantItsMedianRoundRatioToNoEventOfTheSameRoundsAndTheHarnessReadsThemBack() {
		Map<WritePathVariant, List<double[]>> rounds = new LinkedHashMap<>();
		// tx/s, transactions, WAL bytes, JVM ticks, PostgreSQL ticks (100 per second)
		rounds.put(WritePathVariant.NONE, List.of(new double[] { 1000, 5000, 1_000_000, 100, 80 },
				new double[] { 500, 2500, 500_000, 50, 40 }, new double[] { 1000, 5000, 1_000_000, 100, 80 }));
		rounds.put(new WritePathVariant(WriteMode.MESSAGE, 1), List.of(new double[] { 800, 4000, 2_000_000, 100, 88 },
				new double[] { 450, 2250, 1_125_000, 90, 45 }, new double[] { 850, 4250, 2_125_000, 102, 85 }));
		WritePathLines lines = new WritePathLines();
		WritePathRun.resultLines(rounds).forEach(lines::accept);
		assertThat(lines.results()).hasSize(2);
		Runs.WritePath message = lines.results().get(1);
		assertThat(message.variant()).isEqualTo(new WritePathVariant(WriteMode.MESSAGE, 1));
		assertThat(message.tpsRounds()).isEqualTo("[800, 450, 850]");
		assertThat(message.tps()).isEqualTo(800);
		// per-round ratios 0.80, 0.90, 0.85: the median is 0.85 (the ratio of medians would say 0.80)
		assertThat(message.ofNone()).isCloseTo(0.85, offset(1e-4));
		assertThat(message.walBytesPerTransaction()).isCloseTo(500, offset(0.1));
		// JVM per round 250, 400, 240 us per transaction; PostgreSQL 220, 200, 200
		assertThat(message.jvmCpuPerTransaction()).isCloseTo(250, offset(0.1));
		assertThat(message.postgresCpuPerTransaction()).isCloseTo(200, offset(0.1));
	}

}
