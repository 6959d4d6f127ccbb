package dev.outbox.testsupport;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;

import javax.sql.DataSource;

/**
 * One database, created fresh for a test class in the shared {@link PostgresServer}.
 * <p>
 * Its {@link #dataSource()} opens a new physical connection on each call: simple and honest for
 * tests; applications under test bring their own pool.
 */
public final class TestDatabase {

	private final PostgresServer server;

	private final String name;

	TestDatabase(PostgresServer server, String name) {
		this.server = server;
		this.name = name;
	}

	/** @return the database name */
	public String name() {
		return this.name;
	}

	/** @return JDBC URL of this database, without credentials */
	public String jdbcUrl() {
		return this.server.jdbcUrl(this.name);
	}

	/** @return role to connect as */
	public String username() {
		return this.server.username();
	}

	/** @return password of {@link #username()} (may be empty) */
	public String password() {
		return this.server.password();
	}

	/** @return the server this database lives in */
	public PostgresServer server() {
		return this.server;
	}

	/**
	 * Opens a new connection to this database.
	 * @return an open connection in auto-commit mode
	 * @throws SQLException when the server refuses it
	 */
	public Connection connect() throws SQLException {
		return this.server.connect(this.name);
	}

	/**
	 * Returns an SQL identifier unique in practice, for cluster-wide objects such as replication
	 * slots, whose names must not collide between test classes.
	 * @param hint readable part of the name
	 * @return a lower-case identifier
	 */
	public String uniqueName(String hint) {
		return PostgresServer.uniqueIdentifier(hint);
	}

	/**
	 * Returns a {@link DataSource} that opens a new connection per call.
	 * @return a non-pooled data source
	 */
	public DataSource dataSource() {
		return new SimpleDataSource();
	}

	/**
	 * Returns Spring-style connection properties for this database, handy for
	 * {@code withPropertyValues(...)} and child processes.
	 * @return {@code spring.datasource.url}, {@code .username} and {@code .password}
	 */
	public String[] springDataSourceProperties() {
		return new String[] { "spring.datasource.url=" + jdbcUrl(), "spring.datasource.username=" + username(),
				"spring.datasource.password=" + password() };
	}

	@Override
	public String toString() {
		return jdbcUrl();
	}

	private final class SimpleDataSource implements DataSource {

		@Override
		public Connection getConnection() throws SQLException {
			return connect();
		}

		@Override
		public Connection getConnection(String username, String password) throws SQLException {
			return connect();
		}

		@Override
		public PrintWriter getLogWriter() {
			return new PrintWriter(System.err);
		}

		@Override
		public void setLogWriter(PrintWriter out) {
		}

		@Override
		public void setLoginTimeout(int seconds) {
		}

		@Override
		public int getLoginTimeout() {
			return 0;
		}

		@Override
		public Logger getParentLogger() throws SQLFeatureNotSupportedException {
			throw new SQLFeatureNotSupportedException();
		}

		@Override
		public <T> T unwrap(Class<T> type) throws SQLException {
			throw new SQLException("Not a wrapper for " + type);
		}

		@Override
		public boolean isWrapperFor(Class<?> type) {
			return false;
		}

	}

}
