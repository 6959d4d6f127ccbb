package dev.outbox.starter.write;

import java.util.List;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.transaction.IllegalTransactionStateException;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.util.Assert;

import dev.outbox.contract.TableName;

/**
 * Writes outbox rows in the caller's transaction: the single place where events reach the
 * database. Every other way in ({@code Outbox}, {@code @OutboxEvent}, domain events) ends
 * here.
 * <p>
 * {@link #write(OutboxRecord)} checks that the thread has a read-write transaction that
 * holds a connection of this writer's {@link DataSource} (bound by
 * {@code DataSourceTransactionManager}, {@code JdbcTransactionManager} or
 * {@code JpaTransactionManager}) and owns it: not in auto-commit, as it is under another
 * DataSource's transaction manager (see {@link TransactionalConnection}). Then it buffers
 * the event in that transaction. The buffer is written through the same connection, in the
 * way of the {@link OutboxWriteMode} (one INSERT and one DELETE per batch, one INSERT, or one
 * statement emitting a WAL message per event), when it reaches the batch size and just before
 * commit (see {@link OutboxBatchStatements} for why the DELETE names row versions). So an
 * event is never written outside the caller's transaction, a rollback leaves nothing, events
 * of a transaction reach the WAL in the order they were written here, and a transaction with
 * any number of events holds at most one batch in memory.
 * <p>
 * After commit, the events a transaction wrote are handed to the {@link OutboxCommitListener}s,
 * if any. {@link #withoutDatabaseWrites} makes a writer that does all of the above but runs no
 * SQL, for a database that is not PostgreSQL where a listener stands in for it (the test kit).
 * <p>
 * Thread-safe: all state lives in the transaction of the calling thread.
 */
public class OutboxEventWriter {

	private static final Log logger = LogFactory.getLog(OutboxEventWriter.class);

	private final DataSource dataSource;

	private final JdbcTemplate jdbcTemplate;

	private final EventBatchWrite batchWrite;

	private final int batchSize;

	private final List<OutboxCommitListener> commitListeners;

	/**
	 * Create a writer.
	 * @param dataSource the data source whose transactional connection carries the writes;
	 * the same one the application's transaction manager manages
	 * @param table the outbox table
	 * @param batchSize the number of events buffered before they are written, at least 1
	 */
	public OutboxEventWriter(DataSource dataSource, TableName table, int batchSize) {
		this(dataSource, table, batchSize, OutboxWriteMode.TABLE);
	}

	/**
	 * Create a writer for a write mode.
	 * @param dataSource the data source whose transactional connection carries the writes;
	 * the same one the application's transaction manager manages
	 * @param table the outbox table; in {@link OutboxWriteMode#MESSAGE} it names the outbox in
	 * the message prefix
	 * @param batchSize the number of events buffered before they are written, at least 1
	 * @param mode how a batch is written
	 */
	public OutboxEventWriter(DataSource dataSource, TableName table, int batchSize, OutboxWriteMode mode) {
		this(dataSource, table, batchSize, mode, List.of());
	}

	/**
	 * Create a writer for a write mode that tells listeners what each transaction committed.
	 * @param dataSource the data source whose transactional connection carries the writes;
	 * the same one the application's transaction manager manages
	 * @param table the outbox table; in {@link OutboxWriteMode#MESSAGE} it names the outbox in
	 * the message prefix
	 * @param batchSize the number of events buffered before they are written, at least 1
	 * @param mode how a batch is written
	 * @param commitListeners told after each commit which events it wrote; empty for none
	 */
	public OutboxEventWriter(DataSource dataSource, TableName table, int batchSize, OutboxWriteMode mode,
			List<OutboxCommitListener> commitListeners) {
		this(dataSource, mode.batchWrite(table), batchSize, commitListeners);
	}

	private OutboxEventWriter(DataSource dataSource, EventBatchWrite batchWrite, int batchSize,
			List<OutboxCommitListener> commitListeners) {
		Assert.isTrue(batchSize >= 1, () -> "batchSize must be at least 1 but was " + batchSize);
		this.dataSource = dataSource;
		this.jdbcTemplate = new JdbcTemplate(dataSource);
		this.batchWrite = batchWrite;
		this.batchSize = batchSize;
		this.commitListeners = List.copyOf(commitListeners);
	}

	/**
	 * Create a writer that checks the transaction, buffers and hands events to the listeners at
	 * commit as usual, but writes nothing to the database: for a DataSource that is not
	 * PostgreSQL, where a listener stands in for it (see
	 * {@link OutboxCommitListener#capturesWithoutDatabase()}).
	 * @param dataSource the data source whose transactions events belong to
	 * @param batchSize the number of events buffered before a (silent) write, at least 1
	 * @param commitListeners the listeners that receive the events, not empty
	 * @return the writer
	 */
	public static OutboxEventWriter withoutDatabaseWrites(DataSource dataSource, int batchSize,
			List<OutboxCommitListener> commitListeners) {
		Assert.notEmpty(commitListeners, "commitListeners must not be empty: events would go nowhere");
		return new OutboxEventWriter(dataSource, (connection, batch) -> {
		}, batchSize, commitListeners);
	}

	/**
	 * Buffer an event in the current transaction; it is written at the latest just before
	 * the transaction commits.
	 * @param event the event, already validated
	 * @throws IllegalTransactionStateException if no read-write transaction owning a
	 * connection of this writer's data source is active, or the transaction is completing
	 */
	public void write(OutboxRecord event) {
		currentTransaction().add(event);
	}

	void writeBatch(List<OutboxRecord> batch) {
		this.jdbcTemplate.execute((ConnectionCallback<Void>) (connection) -> {
			this.batchWrite.write(connection, batch);
			return null;
		});
	}

	boolean hasCommitListeners() {
		return !this.commitListeners.isEmpty();
	}

	void committed(List<OutboxRecord> events) {
		for (OutboxCommitListener listener : this.commitListeners) {
			try {
				listener.committed(events);
			}
			catch (RuntimeException ex) {
				// Committed already: the caller must not see a failure it cannot undo.
				logger.warn("OutboxCommitListener " + listener.getClass().getName() + " failed on "
						+ events.size() + " committed events", ex);
			}
		}
	}

	/**
	 * Check that the current thread has a transaction an outbox event can be written in:
	 * active and not read-only.
	 * @throws IllegalTransactionStateException if not, saying how to fix it
	 */
	public static void requireWritableTransaction() {
		if (!TransactionSynchronizationManager.isActualTransactionActive()) {
			throw new IllegalTransactionStateException("No transaction is active: outbox events are written only "
					+ "inside the caller's transaction, together with the business change. Run the publishing code in "
					+ "a transaction, for example by annotating the calling method with @Transactional");
		}
		if (TransactionSynchronizationManager.isCurrentTransactionReadOnly()) {
			throw new IllegalTransactionStateException("The current transaction is read-only, so it cannot write an "
					+ "outbox event. Remove readOnly = true from the @Transactional that encloses the publishing code");
		}
	}

	private OutboxTransaction currentTransaction() {
		requireWritableTransaction();
		OutboxTransaction transaction = (OutboxTransaction) TransactionSynchronizationManager.getResource(this);
		if (transaction != null) {
			return transaction;
		}
		if (!TransactionSynchronizationManager.isSynchronizationActive()) {
			throw new IllegalTransactionStateException("Transaction synchronization is not active, so the outbox "
					+ "cannot write before commit: either the transaction is completing (an afterCompletion callback, "
					+ "such as a @TransactionalEventListener with phase AFTER_COMMIT) or the transaction manager uses "
					+ "SYNCHRONIZATION_NEVER. Publish inside the transaction, with synchronization enabled");
		}
		if (!(TransactionSynchronizationManager.getResource(this.dataSource) instanceof ConnectionHolder)) {
			throw new IllegalTransactionStateException("The current transaction holds no connection of the outbox "
					+ "DataSource, so a write would not be part of it. Manage this DataSource's transactions with "
					+ "DataSourceTransactionManager, JdbcTransactionManager or JpaTransactionManager");
		}
		TransactionalConnection.require(this.dataSource, "outbox", "the event");
		CompletionPhase phase = TransactionSynchronizationManager.getSynchronizations().isEmpty()
				? CompletionPhase.OPEN : CompletionPhase.ofCurrentThread();
		if (phase == CompletionPhase.COMPLETING) {
			throw OutboxTransaction.completing();
		}
		transaction = new OutboxTransaction(this, this.batchSize, phase);
		TransactionSynchronizationManager.bindResource(this, transaction);
		TransactionSynchronizationManager.registerSynchronization(transaction);
		return transaction;
	}

}
