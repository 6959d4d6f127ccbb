package dev.outbox.sample.history;

import java.util.UUID;

import javax.sql.DataSource;

import dev.outbox.contract.TableName;
import dev.outbox.starter.flyway.OutboxSchemaMigration;
import dev.outbox.starter.inbox.InboxMetrics;
import dev.outbox.starter.inbox.JdbcInbox;
import dev.outbox.testsupport.PostgresTest;
import dev.outbox.testsupport.TestDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code V3__drop_processed_event.sql} on a database that has been consuming: the ids applied
 * before the upgrade move into the starter's inbox, whose own migration then adopts the table,
 * so a redelivery of an event applied before the upgrade is still skipped.
 */
@PostgresTest
class InboxMigrationIntegrationTests {

	@Test
	void idsAppliedBeforeTheUpgradeAreCarriedIntoTheInboxAndStaySkipped(TestDatabase database) {
		DataSource dataSource = database.dataSource();
		JdbcTemplate jdbc = new JdbcTemplate(dataSource);
		migrateService(dataSource, "2");
		UUID applied = UUID.randomUUID();
		jdbc.update("INSERT INTO processed_event (event_id) VALUES (?)", applied);
		jdbc.update("INSERT INTO order_status_history (order_id, event_id, event_type, status, occurred_at) "
				+ "VALUES (?, ?, 'OrderPlaced.v1', 'PLACED', now())", UUID.randomUUID(), applied);

		migrateService(dataSource, "latest");
		new OutboxSchemaMigration(dataSource, TableName.parse("public.outbox_event", "outbox.table"),
				TableName.parse("public.inbox_event", "outbox.inbox.table"), "outbox_schema_history")
			.migrate();

		assertThat(jdbc.queryForList("SELECT consumer || ' ' || event_id FROM inbox_event", String.class))
			.containsExactly(OrderEventListener.CONSUMER + " " + applied);
		assertThat(jdbc.queryForObject("SELECT to_regclass('public.processed_event') IS NULL", Boolean.class)).isTrue();
		assertThat(jdbc.queryForObject("SELECT count(*) FROM order_status_history WHERE event_id = ?", Long.class,
				applied)).isEqualTo(1);
		assertThat(jdbc.queryForList("SELECT indexname FROM pg_indexes WHERE tablename = 'inbox_event' "
				+ "ORDER BY indexname", String.class)).containsExactly("inbox_event_pkey", "inbox_event_processed_at");

		JdbcInbox inbox = new JdbcInbox(dataSource, TableName.parse("public.inbox_event", "outbox.inbox.table"), InboxMetrics.NONE);
		Boolean appliedAgain = new TransactionTemplate(new DataSourceTransactionManager(dataSource))
			.execute((status) -> inbox.applyOnce(OrderEventListener.CONSUMER, applied.toString(), () -> {
			}));
		assertThat(appliedAgain).isFalse();
	}

	private static void migrateService(DataSource dataSource, String target) {
		Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").target(target).load().migrate();
	}

}
