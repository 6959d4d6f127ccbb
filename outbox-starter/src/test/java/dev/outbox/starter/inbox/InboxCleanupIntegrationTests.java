package dev.outbox.starter.inbox;

import java.time.Duration;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;

import dev.outbox.contract.TableName;
import dev.outbox.starter.flyway.OutboxSchemaMigration;
import dev.outbox.testsupport.PostgresTest;
import dev.outbox.testsupport.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link InboxCleanup} on a real PostgreSQL: only ids past the retention go, in batches, at
 * start and then every interval.
 */
@PostgresTest
class InboxCleanupIntegrationTests {

	private static final TableName TABLE = TableName.parse("public.inbox_event", "outbox.inbox.table");

	private static DataSource dataSource;

	private static JdbcTemplate jdbcTemplate;

	@BeforeAll
	static void migrate(TestDatabase database) {
		dataSource = database.dataSource();
		new OutboxSchemaMigration(dataSource, TableName.parse("public.outbox_event", "outbox.table"), TABLE,
				"outbox_schema_history").migrate();
		jdbcTemplate = new JdbcTemplate(dataSource);
	}

	@BeforeEach
	void emptyInbox() {
		jdbcTemplate.update("DELETE FROM inbox_event");
	}

	@Test
	void deletesOnlyIdsOlderThanTheRetentionBatchAfterBatch() {
		for (int i = 0; i < 5; i++) {
			insert("old-" + i, "8 days");
		}
		insert("recent", "6 days 23 hours");
		insert("yesterday", "1 day");
		insert("now", "0 seconds");
		InboxCleanup cleanup = new InboxCleanup(dataSource, TABLE, Duration.ofDays(7), Duration.ofHours(1), 2);

		assertThat(cleanup.deleteExpired()).isEqualTo(5);

		assertThat(jdbcTemplate.queryForList("SELECT event_id FROM inbox_event ORDER BY processed_at", String.class))
			.containsExactly("recent", "yesterday", "now");
		assertThat(cleanup.deleteExpired()).isZero();
	}

	@Test
	void runsAtStartAndThenEveryInterval() {
		insert("old-1", "2 hours");
		insert("fresh", "0 seconds");
		InboxCleanup cleanup = new InboxCleanup(dataSource, TABLE, Duration.ofHours(1), Duration.ofMillis(200), 100);
		cleanup.start();
		try {
			assertThat(cleanup.isRunning()).isTrue();
			await().atMost(Duration.ofSeconds(30)).until(() -> !exists("old-1"));
			insert("old-2", "2 hours");
			await().atMost(Duration.ofSeconds(30)).until(() -> !exists("old-2"));
			assertThat(exists("fresh")).isTrue();
		}
		finally {
			cleanup.stop();
		}
		assertThat(cleanup.isRunning()).isFalse();
	}

	private static void insert(String eventId, String age) {
		jdbcTemplate.update("INSERT INTO inbox_event (consumer, event_id, processed_at) "
				+ "VALUES ('history', ?, now() - ?::interval)", eventId, age);
	}

	private static boolean exists(String eventId) {
		return jdbcTemplate.queryForObject("SELECT count(*) FROM inbox_event WHERE event_id = ?", Long.class,
				eventId) > 0;
	}

}
