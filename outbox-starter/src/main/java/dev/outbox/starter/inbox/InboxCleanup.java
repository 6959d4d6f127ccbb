package dev.outbox.starter.inbox;

import java.time.Duration;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.util.Assert;

import dev.outbox.contract.TableName;
import dev.outbox.starter.support.FixedDelayTask;

/**
 * Deletes inbox rows older than the retention, in batches, on a thread of its own: first
 * right after start, then every interval.
 * <p>
 * A row is what turns a late duplicate into a skip, so the retention must exceed the longest
 * time after which an event can be delivered again (relay redelivery after an outage, a
 * consumer group reset to an earlier offset); a duplicate arriving after its row was deleted
 * is applied again. Age is measured by the database clock ({@code processed_at} against
 * {@code now()}), so the application servers' clocks do not matter.
 * <p>
 * Each batch is one short auto-committed {@code DELETE} of at most {@code batchSize} rows,
 * picked through the {@code processed_at} index with {@code FOR UPDATE SKIP LOCKED}, so it
 * never holds many locks or a long transaction, and several instances of the service clean
 * up side by side without waiting for each other. A failed run is logged and retried at the
 * next interval.
 */
public class InboxCleanup implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(InboxCleanup.class);

	private final JdbcTemplate jdbcTemplate;

	private final TableName table;

	private final String delete;

	private final Duration retention;

	private final Duration interval;

	private final int batchSize;

	private final FixedDelayTask schedule;

	/**
	 * Create a cleanup.
	 * @param dataSource the data source of the inbox table
	 * @param table the inbox table
	 * @param retention how long rows are kept, positive
	 * @param interval time between two runs, positive
	 * @param batchSize most rows deleted per statement, at least 1
	 */
	public InboxCleanup(DataSource dataSource, TableName table, Duration retention, Duration interval,
			int batchSize) {
		Assert.isTrue(!retention.isNegative() && !retention.isZero(), "retention must be positive");
		Assert.isTrue(!interval.isNegative() && !interval.isZero(), "interval must be positive");
		Assert.isTrue(batchSize >= 1, "batchSize must be at least 1");
		this.jdbcTemplate = new JdbcTemplate(dataSource);
		this.table = table;
		this.delete = "DELETE FROM " + table.qualified() + " WHERE (consumer, event_id) IN (SELECT consumer, "
				+ "event_id FROM " + table.qualified() + " WHERE processed_at < now() - ? * interval '1 millisecond'"
				+ " LIMIT ? FOR UPDATE SKIP LOCKED)";
		this.retention = retention;
		this.interval = interval;
		this.batchSize = batchSize;
		this.schedule = new FixedDelayTask("outbox-inbox-cleanup", this::run, interval);
	}

	/**
	 * Delete every row older than the retention, one batch after the other, until a batch
	 * comes back short. Rows locked by another cleanup are left to it.
	 * @return the number of rows deleted
	 */
	public long deleteExpired() {
		long deleted = 0;
		int batch;
		do {
			batch = this.jdbcTemplate.update(this.delete, this.retention.toMillis(), this.batchSize);
			deleted += batch;
		}
		while (batch == this.batchSize);
		return deleted;
	}

	private void run() {
		try {
			long deleted = deleteExpired();
			if (deleted > 0 && logger.isDebugEnabled()) {
				logger.debug("Deleted " + deleted + " inbox rows older than " + this.retention + " from " + this.table);
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Inbox cleanup of " + this.table + " failed; retrying in " + this.interval, ex);
		}
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
