package dev.outbox.starter.write;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.unit.DataSize;

import dev.outbox.starter.Outbox;
import dev.outbox.starter.flyway.OutboxSchemaMigration;
import dev.outbox.testsupport.PostgresTest;
import dev.outbox.testsupport.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outbox.contract.TableName;

/**
 * INSERT+DELETE churn stays fast after VACUUM has truncated the table: the worst case of
 * the issue, where a cached sequential-scan plan for the DELETE made 100,000 events take
 * 40 s instead of 3.5 s.
 */
@PostgresTest
class OutboxChurnIntegrationTests {

	private static final int EVENTS_PER_ROUND = 20_000;

	private static final int EVENTS_PER_TRANSACTION = 10;

	private static final TableName TABLE = TableName.parse("public.outbox_event", "outbox.table");

	private static SingleConnectionDataSource dataSource;

	private static JdbcTemplate jdbcTemplate;

	private static Outbox outbox;

	private static TransactionTemplate transaction;

	@BeforeAll
	static void setUp(TestDatabase database) {
		// One connection, like one pooled connection: pgjdbc's statement cache and server-side
		// prepared statements live as long as in production.
		dataSource = new SingleConnectionDataSource(database.jdbcUrl(), database.username(), database.password(),
				true);
		new OutboxSchemaMigration(dataSource, TABLE, null, "outbox_schema_history").migrate();
		jdbcTemplate = new JdbcTemplate(dataSource);
		OutboxEventWriter writer = new OutboxEventWriter(dataSource, TABLE, 500);
		outbox = new DefaultOutbox(writer, JsonMapper.builder().build(), List.of(), DataSize.ofKilobytes(64),
				DataSize.ofKilobytes(1), null);
		transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
	}

	@AfterAll
	static void tearDown() {
		if (dataSource != null) {
			dataSource.destroy();
		}
	}

	@Test
	void writeRateAfterVacuumTruncatedTheTableStaysWithinThreeTimesTheRateBefore() throws SQLException {
		writeEvents(2_000);
		double before = writeEvents(EVENTS_PER_ROUND);

		jdbcTemplate.execute("VACUUM (TRUNCATE) outbox_event");
		assertThat(pages()).as("VACUUM truncated the table to zero pages").isZero();
		assertThat(statisticsPages()).as("statistics say the table is empty").isZero();
		// From here on nothing vacuums: dead rows pile up behind statistics that say "empty".
		jdbcTemplate.execute("ALTER TABLE outbox_event SET (autovacuum_enabled = false)");
		double after = writeEvents(EVENTS_PER_ROUND);

		assertThat(after).as("events/s after truncation (before: %.0f events/s)", before)
			.isGreaterThan(before / 3);
		assertThat(pages()).as("dead rows piled up").isGreaterThan(100);
		assertThat(statisticsPages()).as("statistics are stale").isZero();
		assertThat(deletePlanForABatch()).as("plan of the outbox DELETE").contains("Tid Scan").doesNotContain("Seq Scan");
	}

	private static double writeEvents(int count) {
		long start = System.nanoTime();
		for (int written = 0; written < count; written += EVENTS_PER_TRANSACTION) {
			int first = written;
			transaction.executeWithoutResult((status) -> {
				for (int i = first; i < first + EVENTS_PER_TRANSACTION; i++) {
					outbox.publish("Order", String.valueOf(i), "OrderPlaced", Map.of("n", i, "note", "churn"));
				}
			});
		}
		assertThat(jdbcTemplate.queryForObject("SELECT count(*) FROM outbox_event", Long.class)).isZero();
		return count / ((System.nanoTime() - start) / 1e9);
	}

	private static long pages() {
		return jdbcTemplate.queryForObject(
				"SELECT pg_relation_size('outbox_event') / current_setting('block_size')::int", Long.class);
	}

	private static long statisticsPages() {
		return jdbcTemplate.queryForObject("SELECT relpages FROM pg_class WHERE oid = 'outbox_event'::regclass",
				Long.class);
	}

	/**
	 * EXPLAIN the writer's DELETE for a batch of 10 rows just inserted, inside a transaction
	 * that is rolled back, with the actual ctids bound as the writer binds them.
	 */
	private static String deletePlanForABatch() throws SQLException {
		OutboxBatchStatements statements = new OutboxBatchStatements(TABLE);
		Connection connection = dataSource.getConnection();
		connection.setAutoCommit(false);
		try {
			List<String> ctids = new ArrayList<>();
			try (PreparedStatement insert = connection.prepareStatement("INSERT INTO outbox_event (id, aggregate_type, "
					+ "aggregate_id, event_type, payload) SELECT gen_random_uuid(), 'Order', '1', 'OrderPlaced', '{}' "
					+ "FROM generate_series(1, 10) RETURNING ctid"); ResultSet rows = insert.executeQuery()) {
				while (rows.next()) {
					ctids.add(rows.getString(1));
				}
			}
			StringBuilder plan = new StringBuilder();
			try (PreparedStatement explain = connection.prepareStatement("EXPLAIN " + statements.deleteSql())) {
				explain.setArray(1, connection.createArrayOf("text", ctids.toArray(new String[0])));
				try (ResultSet rows = explain.executeQuery()) {
					while (rows.next()) {
						plan.append(rows.getString(1)).append('\n');
					}
				}
			}
			return plan.toString();
		}
		finally {
			connection.rollback();
			connection.setAutoCommit(true);
		}
	}

}
