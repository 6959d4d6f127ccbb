package dev.outbox.failuresuite.workload;

import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import dev.outbox.starter.Outbox;

/**
 * The pipeline's writer: each transaction raises the aggregates' versions and publishes one
 * {@link AccountChanged} per new version through {@link Outbox#publish}, all in one database
 * transaction. The events commit or roll back with the versions, whatever crashes.
 */
public final class OutboxTransactions implements TransactionWriter {

	private final TransactionTemplate transactions;

	private final JdbcTemplate jdbc;

	private final Outbox outbox;

	/**
	 * @param transactions the application's transactions
	 * @param jdbc its database
	 * @param outbox the starter's outbox
	 */
	public OutboxTransactions(TransactionTemplate transactions, JdbcTemplate jdbc, Outbox outbox) {
		this.transactions = transactions;
		this.jdbc = jdbc;
		this.outbox = outbox;
	}

	@Override
	public void write(List<Change> changes) {
		this.transactions.executeWithoutResult((status) -> {
			for (Change change : changes) {
				long version = raiseVersion(this.jdbc, change);
				for (long seq = version - change.events() + 1; seq <= version; seq++) {
					this.outbox.publish(AccountChanged.AGGREGATE_TYPE, change.aggregateId(), AccountChanged.EVENT_TYPE,
							new AccountChanged(change.aggregateId(), seq));
				}
			}
		});
	}

	/**
	 * Raises an aggregate's version under its row lock, held to the end of the transaction.
	 * @param jdbc the database, in the caller's transaction
	 * @param change the aggregate and how many events
	 * @return the new version
	 */
	static long raiseVersion(JdbcTemplate jdbc, Change change) {
		Long version = jdbc.queryForObject(
				"UPDATE fs_aggregate SET version = version + ? WHERE aggregate_id = ? RETURNING version", Long.class,
				change.events(), change.aggregateId());
		if (version == null) {
			throw new IllegalStateException("No aggregate " + change.aggregateId());
		}
		return version;
	}

}
