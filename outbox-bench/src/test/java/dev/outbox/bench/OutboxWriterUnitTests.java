package dev.outbox.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class OutboxWriterUnitTests {

	@Test
	void oneTransactionIsAMultiRowInsertAndADeleteOfTheSameIds() {
		assertThat(OutboxWriter.transactionSql(2)).isEqualTo(
				"INSERT INTO public.outbox_event (id, aggregate_type, aggregate_id, event_type, payload) VALUES "
						+ "(?, ?, ?, ?, ?::jsonb), (?, ?, ?, ?, ?::jsonb); DELETE FROM public.outbox_event WHERE id = ANY(?)");
	}

	@Test
	void theBacklogWriterRefusesRetainModeWhichItDoesNotWrite() {
		Database database = new Database("localhost", 5432, "postgres", "postgres");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new OutboxWriter(database, "t", 1000, 8, WriteMode.RETAIN))
			.withMessageContaining("table or message mode");
	}

	@Test
	void aggregatesMustSplitEvenlyOverTheThreads() {
		Database database = new Database("localhost", 5432, "postgres", "postgres");
		assertThatIllegalArgumentException().isThrownBy(() -> new OutboxWriter(database, "t", 1000, 3));
	}

	@Test
	void backlogMustFillItsTransactions() {
		Database database = new Database("localhost", 5432, "postgres", "postgres");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new OutboxWriter(database, "t", 1000, 8).backlog(95, 10));
	}

}
