package dev.outbox.failuresuite.workload;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import dev.outbox.failuresuite.workload.TransactionWriter.Change;
import dev.outbox.starter.Outbox;
import dev.outbox.testsupport.PostgresTest;
import dev.outbox.testsupport.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The suite's writer against the service under test, without the pipeline: the application
 * declares the event type it publishes, so the starter accepts it, and each transaction's
 * events commit with its versions ({@code retain} mode keeps the rows to count them).
 */
@PostgresTest
class OutboxTransactionsIntegrationTests {

	@Test
	void publishesOneDeclaredEventPerNewVersionInTheTransactionOfTheVersions(TestDatabase database) {
		try (ConfigurableApplicationContext application = WorkloadApplication.start(database.jdbcUrl(), 2,
				"retain")) {
			JdbcTemplate jdbc = application.getBean(JdbcTemplate.class);
			Schema.create(jdbc, 1);
			new OutboxTransactions(application.getBean(TransactionTemplate.class), jdbc,
					application.getBean(Outbox.class))
				.write(List.of(new Change(Schema.aggregateId(0), 2)));

			assertThat(Schema.committedVersions(jdbc)).isEqualTo(Map.of(Schema.aggregateId(0), 2L));
			assertThat(jdbc.queryForList("SELECT event_type || ' ' || (payload ->> 'seq') FROM outbox_event "
					+ "ORDER BY payload ->> 'seq'", String.class))
				.containsExactly(AccountChanged.EVENT_TYPE + " 1", AccountChanged.EVENT_TYPE + " 2");
		}
	}

}
