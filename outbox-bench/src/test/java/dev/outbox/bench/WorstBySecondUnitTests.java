package dev.outbox.bench;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WorstBySecondUnitTests {

	private static final long SECOND = 1_000_000;

	@Test
	void eachFigureBelongsToTheWholeUtcSecondItIsLabelledWithSoThatItLinesUpWithGcLogs() {
		WorstBySecond worst = new WorstBySecond();
		long first = 1_000 * SECOND + 650_000; // the run's first commit at 1000.65 s
		worst.record(first, 1_000);
		worst.record(1_001 * SECOND + 100_000, 50_000); // committed at 1001.10 s, 50 ms

		assertThat(worst.first()).isEqualTo(Instant.ofEpochSecond(1_000));
		assertThat(worst.millis()).isEqualTo("1 50");
		assertThat(worst.slowest(1)).containsExactly(new WorstBySecond.Second(Instant.ofEpochSecond(1_001), 50_000));
		assertThat(worst.worstMicrosAt(Instant.ofEpochSecond(1_001))).isEqualTo(50_000);
	}

	@Test
	void slowestSecondsComeSlowestFirstAndSecondsWithoutEventsReadZero() {
		WorstBySecond worst = new WorstBySecond();
		worst.record(2_000 * SECOND, 4_000);
		worst.record(2_002 * SECOND + 5, 30_000);
		worst.record(2_003 * SECOND + 5, 9_000);

		assertThat(worst.millis()).isEqualTo("4 0 30 9");
		assertThat(worst.slowest(2)).extracting(WorstBySecond.Second::worstMicros).containsExactly(30_000L, 9_000L);
	}

	@Test
	void nothingRecordedHasNoFiguresAndNoSlowestSecond() {
		WorstBySecond worst = new WorstBySecond();

		assertThat(worst.first()).isNull();
		assertThat(worst.millis()).isEqualTo("0");
		assertThat(worst.slowest(3)).isEmpty();
	}

}
