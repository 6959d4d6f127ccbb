package dev.outbox.starter.inbox;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.transaction.IllegalTransactionStateException;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.util.StringUtils;

import dev.outbox.contract.TableName;
import dev.outbox.starter.write.TransactionalConnection;

/**
 * The {@link Inbox} on a PostgreSQL table keyed by {@code (consumer, event_id)}
 * ({@code db/migration/V2__inbox_event.sql}).
 * <p>
 * <b>Why an event is applied at most once.</b> {@link #applyOnce} first runs
 * {@code INSERT INTO inbox (consumer, event_id) VALUES (?, ?) ON CONFLICT DO NOTHING} on the
 * caller's transactional connection, and runs the work only when that inserted one row. The
 * primary key makes PostgreSQL decide, not a prior {@code SELECT}:
 * <ul>
 * <li>a delivery after the first one committed finds the key taken: zero rows, skipped;</li>
 * <li>a delivery racing one still in flight (two consumers of a rebalanced partition, or two
 * instances) blocks in its {@code INSERT} on the uncommitted key until the first transaction
 * ends: if it commits, the second inserts nothing and skips; if it rolls back, the second
 * inserts and applies. The first transaction holds the key from its {@code INSERT} to its
 * end, so the work of both never overlaps. Under {@code REPEATABLE READ} or
 * {@code SERIALIZABLE}, PostgreSQL raises a serialization failure in the second instead;
 * its transaction rolls back and the redelivery finds the key taken;</li>
 * <li>if the work (or anything later in the transaction) fails, the transaction rolls back
 * with the inbox row in it, so the next delivery applies the event. Nothing is recorded
 * without its effects, and no effects without the record.</li>
 * </ul>
 * This holds only because the insert and the work share one transaction, which is why a call
 * without one is refused instead of running in auto-commit, and so is a call in a transaction
 * of another DataSource's transaction manager, where the inbox's connection is in auto-commit
 * (see {@link TransactionalConnection}). The row's {@code processed_at}
 * (the transaction's start time) drives {@link InboxCleanup}.
 * <p>
 * Thread-safe: all state lives in the transaction of the calling thread.
 */
public class JdbcInbox implements Inbox {

	private static final int MAX_LENGTH = 255;

	private final DataSource dataSource;

	private final JdbcTemplate jdbcTemplate;

	private final String insert;

	private final InboxMetrics metrics;

	/**
	 * Create an inbox.
	 * @param dataSource the data source whose transactional connection records the events; the
	 * same one the application's transaction manager manages
	 * @param table the inbox table
	 * @param metrics what to tell about applied events and skipped duplicates
	 */
	public JdbcInbox(DataSource dataSource, TableName table, InboxMetrics metrics) {
		this.dataSource = dataSource;
		this.jdbcTemplate = new JdbcTemplate(dataSource);
		this.insert = "INSERT INTO " + table.qualified() + " (consumer, event_id) VALUES (?, ?) "
				+ "ON CONFLICT DO NOTHING";
		this.metrics = metrics;
	}

	@Override
	public boolean applyOnce(String consumer, String eventId, Runnable work) {
		check("consumer", consumer);
		check("eventId", eventId);
		requireTransaction(consumer, eventId);
		if (this.jdbcTemplate.update(this.insert, consumer, eventId) == 0) {
			afterCommit(() -> this.metrics.duplicate(consumer));
			return false;
		}
		work.run();
		afterCommit(() -> this.metrics.applied(consumer));
		return true;
	}

	private static void check(String name, String value) {
		if (!StringUtils.hasText(value) || value.length() > MAX_LENGTH) {
			throw new IllegalArgumentException(name + " must be non-blank and at most " + MAX_LENGTH
					+ " characters, but was '" + value + "'");
		}
	}

	private void requireTransaction(String consumer, String eventId) {
		String event = "event " + eventId + " of consumer " + consumer;
		if (!TransactionSynchronizationManager.isActualTransactionActive()) {
			throw new IllegalTransactionStateException("No transaction is active, so the inbox cannot apply " + event
					+ " once: the record of the event and the consumer's writes must commit together. Run the call "
					+ "in a transaction (@Transactional or a TransactionTemplate), or use @InboxListener, which opens "
					+ "one");
		}
		if (TransactionSynchronizationManager.isCurrentTransactionReadOnly()) {
			throw new IllegalTransactionStateException("The current transaction is read-only, so the inbox cannot "
					+ "record " + event + ". Remove readOnly = true from the enclosing @Transactional");
		}
		if (!(TransactionSynchronizationManager.getResource(this.dataSource) instanceof ConnectionHolder)) {
			throw new IllegalTransactionStateException("The current transaction holds no connection of the inbox "
					+ "DataSource, so recording " + event + " would not be part of it. Manage this DataSource's "
					+ "transactions with DataSourceTransactionManager, JdbcTransactionManager or "
					+ "JpaTransactionManager");
		}
		TransactionalConnection.require(this.dataSource, "inbox", "recording " + event);
	}

	private static void afterCommit(Runnable action) {
		if (!TransactionSynchronizationManager.isSynchronizationActive()) {
			action.run();
			return;
		}
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

			@Override
			public void afterCommit() {
				action.run();
			}

		});
	}

}
