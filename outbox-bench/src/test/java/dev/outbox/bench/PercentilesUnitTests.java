package dev.outbox.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class PercentilesUnitTests {

	@Test
	void nearestRankOfOneToHundred() {
		Percentiles percentiles = new Percentiles(4);
		for (int value = 100; value >= 1; value--) {
			percentiles.record(value);
		}
		Percentiles.Snapshot snapshot = percentiles.snapshot();
		assertThat(snapshot.count()).isEqualTo(100);
		assertThat(snapshot.percentile(50)).isEqualTo(50);
		assertThat(snapshot.percentile(99)).isEqualTo(99);
		assertThat(snapshot.percentile(99.9)).isEqualTo(100);
		assertThat(snapshot.percentile(100)).isEqualTo(100);
		assertThat(snapshot.percentile(0.5)).isEqualTo(1);
		assertThat(snapshot.max()).isEqualTo(100);
	}

	@Test
	void smallSampleTakesTheValueAtOrAboveTheRank() {
		Percentiles percentiles = new Percentiles(1);
		percentiles.recordAll(new long[] { 7, 3, 5 }, 3);
		assertThat(percentiles.snapshot().percentile(50)).isEqualTo(5);
		assertThat(percentiles.snapshot().percentile(99)).isEqualTo(7);
	}

	@Test
	void bulkRecordingGrowsPastTheExpectedSize() {
		Percentiles percentiles = new Percentiles(16);
		long[] batch = new long[100];
		for (int i = 0; i < batch.length; i++) {
			batch[i] = i;
		}
		percentiles.recordAll(batch, 100);
		percentiles.recordAll(batch, 50);
		assertThat(percentiles.count()).isEqualTo(150);
		assertThat(percentiles.snapshot().max()).isEqualTo(99);
	}

	@Test
	void emptyIsZero() {
		Percentiles.Snapshot snapshot = new Percentiles(0).snapshot();
		assertThat(snapshot.percentile(99)).isZero();
		assertThat(snapshot.max()).isZero();
	}

	@Test
	void percentOutsideTheRangeIsRefused() {
		Percentiles.Snapshot snapshot = new Percentiles(0).snapshot();
		assertThatIllegalArgumentException().isThrownBy(() -> snapshot.percentile(0));
		assertThatIllegalArgumentException().isThrownBy(() -> snapshot.percentile(100.1));
	}

}
