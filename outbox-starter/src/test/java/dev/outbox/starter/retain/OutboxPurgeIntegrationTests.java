package dev.outbox.starter.retain;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;

import dev.outbox.contract.TableName;
import dev.outbox.starter.flyway.OutboxSchemaMigration;
import dev.outbox.starter.write.OutboxWriteMode;
import dev.outbox.testsupport.PostgresTest;
import dev.outbox.testsupport.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The purge of {@code retain} mode on a real table: what it deletes, the locks it holds while
 * it runs, and that one instance purges at a time.
 */
@PostgresTest
class OutboxPurgeIntegrationTests {

	private static final TableName TABLE = TableName.parse("public.outbox_event", "outbox.table");

	private static final Duration RETENTION = Duration.ofDays(7);

	private final TestDatabase database;

	private final JdbcTemplate jdbcTemplate;

	OutboxPurgeIntegrationTests(TestDatabase database) {
		this.database = database;
		this.jdbcTemplate = new JdbcTemplate(database.dataSource());
	}

	@BeforeAll
	static void migrate(TestDatabase database) {
		new OutboxSchemaMigration(database.dataSource(), TABLE, null, "outbox_schema_history", OutboxWriteMode.RETAIN)
			.migrate();
	}

	@BeforeEach
	void emptyTable() {
		this.jdbcTemplate.execute("DELETE FROM outbox_event");
	}

	@Test
	void purgeDeletesOnlyRowsOlderThanTheRetentionInBatches() {
		insertRows(25, "8 days", "old");
		insertRows(5, "6 days 23 hours", "young");
		insertRows(3, "0 seconds", "new");

		long deleted = purge(10).purgeNow();

		assertThat(deleted).isEqualTo(25);
		assertThat(this.jdbcTemplate.queryForList("SELECT event_type FROM outbox_event GROUP BY 1 ORDER BY 1",
				String.class))
			.containsExactly("new", "young");
		assertThat(purge(10).purgeNow()).isZero();
	}

	@Test
	void ensureIndexCreatesAValidCreatedAtIndexAndIsIdempotent() {
		OutboxPurge purge = purge(10);

		assertThat(purge.ensureIndex()).isTrue();
		assertThat(purge.ensureIndex()).isTrue();
		assertThat(this.jdbcTemplate.queryForObject("SELECT pg_get_indexdef(i.indexrelid) || ' valid=' || i.indisvalid"
				+ " FROM pg_index i WHERE i.indexrelid = to_regclass('public.outbox_event_created_at')", String.class))
			.isEqualTo("CREATE INDEX outbox_event_created_at ON public.outbox_event USING btree (created_at) valid=true");
	}

	@Test
	void whileAPurgeBatchRunsItHoldsOnlyRowExclusiveAndAccessShareTableLocksAndAWriterWithALockTimeoutInserts()
			throws Exception {
		purge(10).ensureIndex();
		insertRows(3, "8 days", "old");
		try (Connection blocker = this.database.connect()) {
			CompletableFuture<Long> running = startPurgeBlockedByARowLock(blocker);
			int pid = awaitPurgeWaiting();

			assertThat(relationLocksOf(pid)).as("relation locks held by the purging backend")
				.isNotEmpty()
				.allMatch((lock) -> lock.endsWith("RowExclusiveLock") || lock.endsWith("AccessShareLock"))
				.contains("outbox_event RowExclusiveLock");
			assertThat(advisoryLocksOf(pid)).as("advisory locks held by the purging backend").isEqualTo(1);
			try (Connection writer = this.database.connect()) {
				writer.setAutoCommit(false);
				try (Statement statement = writer.createStatement()) {
					statement.execute("SET LOCAL lock_timeout = '1s'");
					statement.executeUpdate("INSERT INTO outbox_event (id, aggregate_type, aggregate_id, event_type, "
							+ "payload) VALUES (gen_random_uuid(), 'Order', '1', 'during-purge', '{}')");
				}
				writer.commit();
			}
			blocker.rollback();
			assertThat(running.get(30, TimeUnit.SECONDS)).isEqualTo(3);
		}
		assertThat(this.jdbcTemplate.queryForList("SELECT event_type FROM outbox_event", String.class))
			.containsExactly("during-purge");
	}

	@Test
	void aSecondPurgeWhileOneRunsDeletesNothingAndReturnsAtOnce() throws Exception {
		insertRows(3, "8 days", "old");
		try (Connection blocker = this.database.connect()) {
			CompletableFuture<Long> first = startPurgeBlockedByARowLock(blocker);
			awaitPurgeWaiting();

			long second = CompletableFuture.supplyAsync(() -> purge(10).purgeNow()).get(10, TimeUnit.SECONDS);

			assertThat(second).isZero();
			assertThat(first).isNotDone();
			blocker.rollback();
			assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo(3);
		}
	}

	@Test
	void purgeDoesNothingWhileAnotherSessionHoldsItsAdvisoryLock() throws SQLException {
		insertRows(2, "8 days", "old");
		try (Connection other = this.database.connect();
				PreparedStatement lock = other.prepareStatement("SELECT pg_advisory_lock(?)")) {
			lock.setLong(1, OutboxPurge.lockKey(TABLE));
			lock.execute();

			assertThat(purge(10).purgeNow()).isZero();
			assertThat(this.jdbcTemplate.queryForObject("SELECT count(*) FROM outbox_event", Long.class)).isEqualTo(2);
		}
		assertThat(purge(10).purgeNow()).isEqualTo(2);
	}

	private OutboxPurge purge(int batchSize) {
		return new OutboxPurge(this.database.dataSource(), TABLE, RETENTION, Duration.ofHours(1), batchSize);
	}

	private void insertRows(int count, String age, String eventType) {
		this.jdbcTemplate.update("INSERT INTO outbox_event (id, aggregate_type, aggregate_id, event_type, payload, "
				+ "created_at) SELECT gen_random_uuid(), 'Order', g::text, ?, '{}', now() - ?::interval "
				+ "FROM generate_series(1, ?) AS g", eventType, age, count);
	}

	/**
	 * Lock one old row in an open transaction of {@code blocker}, then start a purge, whose
	 * DELETE waits for that row: a purge batch held open in the middle of its statement.
	 */
	private CompletableFuture<Long> startPurgeBlockedByARowLock(Connection blocker) throws SQLException {
		blocker.setAutoCommit(false);
		try (Statement statement = blocker.createStatement()) {
			statement.executeQuery("SELECT id FROM outbox_event WHERE event_type = 'old' LIMIT 1 FOR UPDATE").close();
		}
		return CompletableFuture.supplyAsync(() -> purge(10).purgeNow());
	}

	private int awaitPurgeWaiting() {
		return await().atMost(Duration.ofSeconds(20))
			.until(() -> this.jdbcTemplate.queryForList("SELECT pid FROM pg_stat_activity WHERE datname = "
					+ "current_database() AND query LIKE 'DELETE FROM public.outbox_event WHERE ctid%' AND "
					+ "wait_event_type = 'Lock'", Integer.class), (pids) -> pids.size() == 1)
			.get(0);
	}

	private List<String> relationLocksOf(int pid) {
		return new ArrayList<>(this.jdbcTemplate.queryForList("SELECT c.relname || ' ' || l.mode FROM pg_locks l "
				+ "JOIN pg_class c ON c.oid = l.relation WHERE l.pid = ? AND l.locktype = 'relation' AND l.granted "
				+ "ORDER BY 1", String.class, pid));
	}

	private long advisoryLocksOf(int pid) {
		return this.jdbcTemplate.queryForObject("SELECT count(*) FROM pg_locks WHERE pid = ? AND locktype = "
				+ "'advisory' AND granted", Long.class, pid);
	}

}
