package dev.outbox.bench;

import java.io.IOException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

class PostgresWritePathUnitTests {

	@Test
	void readsTheRateWithoutConnectionTimeFromPgbenchsSummary() throws IOException {
		String output = """
				transaction type: /tmp/pgbench-write-path-1.sql
				scaling factor: 1
				query mode: prepared
				number of clients: 4
				number of threads: 2
				maximum number of tries: 1
				duration: 12 s
				number of transactions actually processed: 84712
				number of failed transactions: 0 (0.000%)
				latency average = 0.566 ms
				initial connection time = 9.870 ms
				tps = 7059.310765 (without initial connection time)
				""";
		assertThat(PostgresWritePath.parseTps(output)).isEqualTo(7059.310765);
		assertThat(PostgresWritePath.parseTransactions(output)).isEqualTo(84712);
	}

	@Test
	void anAbortedRunWithoutSummaryIsAnError() {
		String aborted = "pgbench: error: client 0 script 0 aborted in command 3 query 0: ERROR:  syntax error\n";
		assertThatIOException().isThrownBy(() -> PostgresWritePath.parseTps(aborted));
		assertThatIOException().isThrownBy(() -> PostgresWritePath.parseTransactions(aborted));
	}

}
