package dev.outbox.relay.pipeline;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CommitLagUnitTests {

	private final CommitLag lag = new CommitLag();

	@Test
	void nothingPendingIsZero() {
		assertThat(this.lag.lagMillis(10_000, 0, 0)).isZero();
	}

	@Test
	void oldestUnacknowledgedTransactionSetsTheLag() {
		this.lag.begin(1_000);
		this.lag.event();
		this.lag.commit(100, 0);
		this.lag.begin(2_000);
		this.lag.event();
		this.lag.commit(200, 0);
		assertThat(this.lag.lagMillis(5_000, 0, 2)).isEqualTo(4_000);
		assertThat(this.lag.lagMillis(5_000, 100, 1)).isEqualTo(3_000);
		assertThat(this.lag.lagMillis(5_000, 200, 0)).isZero();
	}

	@Test
	void transactionWithoutEventsDoesNotLag() {
		this.lag.begin(1_000);
		this.lag.commit(100, 0);
		assertThat(this.lag.lagMillis(5_000, 0, 0)).isZero();
	}

	@Test
	void openTransactionWithEventsInFlightLags() {
		this.lag.begin(1_000);
		this.lag.event();
		assertThat(this.lag.lagMillis(3_000, 0, 1)).isEqualTo(2_000);
		assertThat(this.lag.lagMillis(3_000, 0, 0)).isZero();
	}

	@Test
	void settledTransactionsAreDroppedAtCommit() {
		this.lag.begin(1_000);
		this.lag.event();
		this.lag.commit(100, 0);
		this.lag.begin(2_000);
		this.lag.event();
		this.lag.commit(200, 100);
		assertThat(this.lag.lagMillis(5_000, 150, 1)).isEqualTo(3_000);
	}

	@Test
	void commitTimeInTheFutureIsZeroNotNegative() {
		this.lag.begin(9_000);
		this.lag.event();
		this.lag.commit(100, 0);
		assertThat(this.lag.lagMillis(5_000, 0, 1)).isZero();
	}

}
