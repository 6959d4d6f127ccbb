package dev.outbox.bench;

import java.io.IOException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

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
	}

	@Test
	void anAbortedRunWithoutSummaryIsAnError() {
		assertThatIOException().isThrownBy(() -> PostgresWritePath.parseTps(
				"pgbench: error: client 0 script 0 aborted in command 3 query 0: ERROR:  syntax error\n"));
	}

	@Test
	void everyVariantWritesTheSameOrderAndLinesInOneTransactionAndOnlyTheEventDiffers() {
		assertThat(PostgresWritePath.VARIANTS.keySet()).containsExactly("order alone", "+ outbox INSERT+DELETE",
				"+ pg_logical_emit_message");
		String alone = PostgresWritePath.script("order alone");
		assertThat(alone).startsWith("BEGIN;\n").endsWith("COMMIT;\n").contains("INSERT INTO bench_order ");
		assertThat(alone.split("INSERT INTO bench_order_line ", -1)).hasSize(3);
		String outbox = PostgresWritePath.script("+ outbox INSERT+DELETE");
		assertThat(outbox).startsWith(alone.replace("COMMIT;\n", ""))
			.contains("FROM unnest(", "WITH ORDINALITY", "RETURNING ctid \\gset",
					"DELETE FROM outbox_event WHERE ctid = ANY (ARRAY[:ctid::tid]);")
			.endsWith("COMMIT;\n");
		assertThat(PostgresWritePath.script("+ pg_logical_emit_message"))
			.contains("pg_logical_emit_message(true, 'outbox', :payload::text)")
			.doesNotContain("outbox_event");
	}

	@Test
	void anUnknownVariantIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> PostgresWritePath.script("none"))
			.withMessageContaining("no variant none");
	}

}
