package dev.outbox.starter.retain;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.util.Assert;

import dev.outbox.contract.TableName;
import dev.outbox.starter.support.FixedDelayTask;

/**
 * Deletes outbox rows older than the retention in {@code retain} write mode: at startup and
 * every interval on a thread of its own, and on demand with {@link #purgeNow()}.
 * <p>
 * <b>Locks.</b> Each batch is one auto-committed statement,
 * {@code DELETE ... WHERE ctid = ANY (ARRAY(SELECT ctid ... WHERE created_at < cutoff LIMIT n))},
 * so it takes what writers take too, ROW EXCLUSIVE on the table and its indexes (plus ACCESS
 * SHARE for the inner scan) and row locks on the rows it deletes, which nobody else locks:
 * writers, which insert, are never blocked, and the statement holds its locks for one short
 * transaction. Nothing stronger (SHARE or above) is ever taken. Batches bound the WAL written
 * per transaction and the rows a replica or a relay sees change at once.
 * <p>
 * <b>One instance at a time.</b> A run first takes a session-level advisory lock named after
 * the table ({@link #lockKey(TableName)}) with {@code pg_try_advisory_lock} on a connection
 * it keeps for the whole run; when another instance holds it, the run does nothing and returns
 * 0. The lock dies with the connection, so a crashed instance never keeps it.
 * <p>
 * <b>Index.</b> The batches find old rows through an index on {@code created_at}, which only
 * this mode needs (INSERT+DELETE would pay for it on every event). {@link #ensureIndex()},
 * run by the first scheduled purge while it holds the advisory lock (so two instances never
 * build it at once), creates it with
 * {@code CREATE INDEX CONCURRENTLY}, outside any transaction, which takes SHARE UPDATE
 * EXCLUSIVE and so never blocks writers; an invalid index left by an interrupted build is
 * dropped (concurrently) and built again. When the role may not create it, a WARN names the
 * statement to run; the purge then still works, by sequential scans.
 * <p>
 * Age is measured by the database clock ({@code created_at} against {@code now()}), so the
 * application servers' clocks do not matter. A failed run is logged and retried at the next
 * interval. Thread-safe.
 */
public class OutboxPurge implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(OutboxPurge.class);

	private final DataSource dataSource;

	private final TableName table;

	private final String indexName;

	private final String delete;

	private final Duration retention;

	private final Duration interval;

	private final int batchSize;

	private final long lockKey;

	private final FixedDelayTask schedule;

	private volatile boolean indexChecked;

	/**
	 * Create a purge.
	 * @param dataSource the data source of the outbox table
	 * @param table the outbox table
	 * @param retention how long rows are kept, positive
	 * @param interval time between two scheduled purges, positive
	 * @param batchSize most rows deleted per transaction, at least 1
	 */
	public OutboxPurge(DataSource dataSource, TableName table, Duration retention, Duration interval, int batchSize) {
		Assert.isTrue(!retention.isNegative() && !retention.isZero(), "retention must be positive");
		Assert.isTrue(!interval.isNegative() && !interval.isZero(), "interval must be positive");
		Assert.isTrue(batchSize >= 1, "batchSize must be at least 1");
		this.dataSource = dataSource;
		this.table = table;
		this.indexName = indexName(table);
		this.delete = "DELETE FROM " + table.qualified() + " WHERE ctid = ANY (ARRAY(SELECT ctid FROM "
				+ table.qualified() + " WHERE created_at < now() - ? * interval '1 millisecond' LIMIT ?))";
		this.retention = retention;
		this.interval = interval;
		this.batchSize = batchSize;
		this.lockKey = lockKey(table);
		this.schedule = new FixedDelayTask("outbox-retain-purge", this::run, interval);
	}

	/**
	 * Name of the {@code created_at} index the purge uses, in the table's schema.
	 * @param table the outbox table
	 * @return the unqualified index name, {@code <table>_created_at}
	 */
	public static String indexName(TableName table) {
		return table.table() + "_created_at";
	}

	/**
	 * Key of the advisory lock that lets one purge of the table run at a time.
	 * @param table the outbox table
	 * @return the {@code bigint} key for {@code pg_advisory_lock}
	 */
	public static long lockKey(TableName table) {
		byte[] name = ("outbox.retain.purge:" + table.qualified()).getBytes(StandardCharsets.UTF_8);
		return UUID.nameUUIDFromBytes(name).getMostSignificantBits();
	}

	/**
	 * Delete every row older than the retention now, one short transaction per batch, until
	 * a batch comes back short.
	 * @return the number of rows deleted; 0 also when another purge of the table is running
	 */
	public long purgeNow() {
		return purge(false);
	}

	/**
	 * Create the {@code created_at} index unless a valid one exists (an invalid one, left by an
	 * interrupted build, is dropped and built again); on failure log a WARN that names the
	 * statement a DBA runs.
	 * @return whether a valid index exists afterwards
	 */
	public boolean ensureIndex() {
		try (Connection connection = this.dataSource.getConnection()) {
			return onAutoCommit(connection, () -> ensureIndex(connection));
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Cannot connect to create the purge index of " + this.table, ex);
		}
	}

	private long purge(boolean createIndex) {
		try (Connection connection = this.dataSource.getConnection()) {
			return onAutoCommit(connection, () -> {
				if (!advisoryLock(connection, "pg_try_advisory_lock")) {
					logger.debug("Another instance is purging " + this.table + "; skipping this run");
					return 0L;
				}
				try {
					if (createIndex) {
						ensureIndex(connection);
					}
					return deleteBatches(connection);
				}
				finally {
					advisoryLock(connection, "pg_advisory_unlock");
				}
			});
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Purge of " + this.table + " failed: " + ex.getMessage(), ex);
		}
	}

	// Each statement its own transaction: short batches, and CREATE INDEX CONCURRENTLY may run.
	private static <T> T onAutoCommit(Connection connection, SqlWork<T> work) throws SQLException {
		boolean autoCommit = connection.getAutoCommit();
		connection.setAutoCommit(true);
		try {
			return work.run();
		}
		finally {
			connection.setAutoCommit(autoCommit);
		}
	}

	private long deleteBatches(Connection connection) throws SQLException {
		long deleted = 0;
		int batch;
		try (PreparedStatement statement = connection.prepareStatement(this.delete)) {
			do {
				statement.setLong(1, this.retention.toMillis());
				statement.setInt(2, this.batchSize);
				batch = statement.executeUpdate();
				deleted += batch;
			}
			while (batch == this.batchSize);
		}
		return deleted;
	}

	private boolean advisoryLock(Connection connection, String function) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement("SELECT " + function + "(?)")) {
			statement.setLong(1, this.lockKey);
			try (ResultSet result = statement.executeQuery()) {
				return result.next() && result.getBoolean(1);
			}
		}
	}

	private boolean ensureIndex(Connection connection) {
		String qualifiedIndex = this.table.schema() + "." + this.indexName;
		String create = "CREATE INDEX CONCURRENTLY IF NOT EXISTS " + this.indexName + " ON " + this.table.qualified()
				+ " (created_at)";
		try (Statement statement = connection.createStatement()) {
			Boolean valid;
			try (ResultSet result = statement.executeQuery("SELECT (SELECT indisvalid FROM pg_index WHERE indexrelid "
					+ "= to_regclass('" + qualifiedIndex + "'))")) {
				result.next();
				valid = (Boolean) result.getObject(1);
			}
			if (Boolean.TRUE.equals(valid)) {
				return true;
			}
			if (Boolean.FALSE.equals(valid)) {
				// Left invalid by an interrupted build; IF NOT EXISTS would keep it forever.
				statement.execute("DROP INDEX CONCURRENTLY IF EXISTS " + qualifiedIndex);
			}
			statement.execute(create);
			return true;
		}
		catch (SQLException ex) {
			logger.warn("Could not create the index of the outbox purge (" + ex.getMessage() + "); a DBA runs: "
					+ create + ". Until then each purge batch scans the whole outbox table");
			return false;
		}
	}

	private void run() {
		try {
			long deleted = purge(!this.indexChecked);
			this.indexChecked = true;
			if (deleted > 0 && logger.isDebugEnabled()) {
				logger.debug("Purged " + deleted + " outbox rows older than " + this.retention + " from " + this.table);
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Outbox purge of " + this.table + " failed; retrying in " + this.interval, ex);
		}
	}

	@FunctionalInterface
	private interface SqlWork<T> {

		T run() throws SQLException;

	}

	@Override
	public void start() {
		this.schedule.start();
	}

	@Override
	public void stop() {
		this.schedule.stop();
	}

	@Override
	public boolean isRunning() {
		return this.schedule.isRunning();
	}

}
