package dev.outbox.bench;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class BusyNeighbourUnitTests {

	@Test
	void progressLinesOfPgbench15AreReadAndOtherLinesAreNot() {
		assertThat(BusyNeighbour.progress(
				"progress: 3.0 s, 498.9 tps, lat 1.583 ms stddev 0.522, 0 failed, lag 0.120 ms"))
			.containsExactly(498.9, 1.583);
		assertThat(BusyNeighbour.progress("progress: 12.0 s, 500.0 tps, lat 0.9 ms stddev 0.1, lag 0.05 ms"))
			.containsExactly(500.0, 0.9);
		assertThat(BusyNeighbour.progress("pgbench (15.18 (Debian 15.18-0+deb12u1))")).isNull();
		assertThat(BusyNeighbour.progress("starting vacuum...end.")).isNull();
	}

	@Test
	void achievedLoadIsTheMeanOfTheSecondsSinceTheMark() {
		BusyNeighbour.Achieved achieved = BusyNeighbour.Achieved
			.of(List.of(new double[] { 490, 1.0 }, new double[] { 510, 3.0 }));
		assertThat(achieved.transactionsPerSecond()).isCloseTo(500, within(1e-9));
		assertThat(achieved.latencyMillis()).isCloseTo(2.0, within(1e-9));
		assertThat(achieved.seconds()).isEqualTo(2);
		assertThat(achieved.describe()).isEqualTo("pgbench neighbour 500 tx/s, 2.0 ms mean latency");
		assertThat(BusyNeighbour.Achieved.of(List.of()).transactionsPerSecond()).isZero();
	}

}
