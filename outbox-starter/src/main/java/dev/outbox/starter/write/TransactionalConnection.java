package dev.outbox.starter.write;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.IllegalTransactionStateException;

/**
 * The check, shared by the outbox and the inbox, that the connection their statements run on
 * belongs to the caller's transaction.
 * <p>
 * Why a bound connection is not enough: Spring binds a connection of a DataSource to the
 * thread whenever it is used while any transaction synchronization is active. When the
 * transaction is run by another DataSource's transaction manager (a service with two
 * DataSources), or by JTA over a DataSource that is not XA, a read through a
 * {@code JdbcTemplate} binds a connection of the outbox's DataSource that no transaction
 * owns: it is in auto-commit, so every statement on it commits at once, whatever the
 * business transaction does later. The transaction managers that do own the connection
 * ({@code DataSourceTransactionManager}, {@code JdbcTransactionManager},
 * {@code JpaTransactionManager}, JTA with an XA DataSource) turn auto-commit off for the
 * transaction, so auto-commit on the connection the statements would use is what tells
 * them apart.
 * <p>
 * Not caught: a pool configured with auto-commit off under another manager. The writes then
 * stay uncommitted and are rolled back when the connection returns to the pool.
 */
public final class TransactionalConnection {

	private TransactionalConnection() {
	}

	/**
	 * Check that the connection of {@code dataSource} that statements would use on this thread
	 * (the one bound to the transaction, as {@code JdbcTemplate} would take it) is part of a
	 * transaction, not in auto-commit.
	 * @param dataSource the DataSource the statements run on
	 * @param dataSourceRole whose DataSource it is, {@code "outbox"} or {@code "inbox"}
	 * @param write what would commit on its own, for the message
	 * @throws IllegalTransactionStateException if the connection is in auto-commit, saying
	 * how to fix it
	 */
	public static void require(DataSource dataSource, String dataSourceRole, String write) {
		// The connection itself, not JdbcTemplate.execute's close-suppressing proxy around it: this
		// runs once per transaction that publishes, and the proxy's creation and reflective call
		// cost more than the check.
		Connection connection = DataSourceUtils.getConnection(dataSource);
		boolean autoCommit;
		try {
			autoCommit = connection.getAutoCommit();
		}
		catch (SQLException ex) {
			throw new UncategorizedSQLException("reading auto-commit of the " + dataSourceRole + " connection", null, ex);
		}
		finally {
			DataSourceUtils.releaseConnection(connection, dataSource);
		}
		if (autoCommit) {
			throw new IllegalTransactionStateException("The connection of the " + dataSourceRole + " DataSource "
					+ "in this transaction is in auto-commit, so " + write + " would commit on its own, even if the "
					+ "transaction rolls back: the transaction belongs to another transaction manager (that of "
					+ "another DataSource, or JTA over a DataSource that is not XA). Run the calling method in a "
					+ "transaction of the " + dataSourceRole + " DataSource's own transaction manager "
					+ "(@Transactional(transactionManager = ...) naming it)");
		}
	}

}
