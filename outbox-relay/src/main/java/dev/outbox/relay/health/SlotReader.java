package dev.outbox.relay.health;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;
import org.postgresql.PGProperty;

import dev.outbox.relay.source.ConnectionSettings;
import dev.outbox.relay.source.SlotStatus;

/**
 * Reads the relay's slot for health and metrics, and never keeps a caller waiting longer than
 * {@link #TIMEOUT}, whatever PostgreSQL or the network does.
 * <p>
 * How the bound holds:
 * <ul>
 * <li>The query runs on one worker thread of its own; the caller waits for it at most
 * {@link #TIMEOUT}, then gets an {@link SQLTimeoutException}.</li>
 * <li>While a query is still pending (a silent link), every further read fails at once with the
 * same exception: requests do not queue behind it, and no threads pile up.</li>
 * <li>The worker uses its own connection, not the application's pool, with pgjdbc's
 * {@code connectTimeout}, {@code loginTimeout} and {@code socketTimeout} and a session
 * {@code statement_timeout}: a hung link or server frees the worker after
 * {@value #LINK_TIMEOUT_SECONDS} seconds, and the pool that slot creation, the snapshot and the
 * slot copy use keeps no such timeout (a DataSource-wide {@code socketTimeout} would break
 * them).</li>
 * </ul>
 * Thread-safe.
 */
public final class SlotReader implements SlotQuery, AutoCloseable {

	/** Longest a caller waits for PostgreSQL's answer. */
	public static final Duration TIMEOUT = Duration.ofSeconds(1);

	/** Connect, login, socket read and statement timeout of the worker's connection. */
	static final int LINK_TIMEOUT_SECONDS = 5;

	private final ConnectionSettings settings;

	private final String slotName;

	private final ExecutorService worker = Executors.newSingleThreadExecutor((runnable) -> {
		Thread thread = new Thread(runnable, "outbox-relay-health-query");
		thread.setDaemon(true);
		return thread;
	});

	private final Object lock = new Object();

	private @Nullable Future<@Nullable SlotStatus> pending;

	private long pendingSince;

	/** Used by the worker thread only. */
	private @Nullable Connection connection;

	/**
	 * @param settings where PostgreSQL is, as for replication connections
	 * @param slotName the slot to read
	 */
	public SlotReader(ConnectionSettings settings, String slotName) {
		this.settings = settings;
		this.slotName = slotName;
		// Opening the connection (TCP, TLS, SCRAM) and the first query in a cold JVM can take longer
		// than TIMEOUT: done now, the first health request finds the connection open and warm.
		this.worker.execute(this::warmUp);
	}

	/**
	 * Reads the slot.
	 * @return its status, or {@code null} when it does not exist
	 * @throws SQLTimeoutException when PostgreSQL did not answer within {@link #TIMEOUT}, or has not
	 * answered an earlier read yet
	 * @throws SQLException when PostgreSQL cannot be reached or the query fails
	 */
	@Override
	public @Nullable SlotStatus read() throws SQLException {
		Future<@Nullable SlotStatus> query;
		synchronized (this.lock) {
			if (this.pending != null && !this.pending.isDone()) {
				Duration waiting = Duration.ofNanos(System.nanoTime() - this.pendingSince);
				throw new SQLTimeoutException("PostgreSQL did not answer the health query sent " + seconds(waiting)
						+ " ago (spring.datasource.url)");
			}
			query = this.worker.submit(this::query);
			this.pending = query;
			this.pendingSince = System.nanoTime();
		}
		try {
			return query.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			throw new SQLTimeoutException(
					"PostgreSQL did not answer within " + seconds(TIMEOUT) + " (spring.datasource.url)");
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof SQLException sql) {
				throw sql;
			}
			throw new SQLException("Health query failed: " + ex.getCause(), ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new SQLException("Interrupted while waiting for the health query", ex);
		}
	}

	private static String seconds(Duration duration) {
		return String.format(Locale.ROOT, "%.1fs", duration.toMillis() / 1000.0);
	}

	private @Nullable SlotStatus query() throws SQLException {
		try {
			return SlotStatus.read(connection(), this.slotName);
		}
		catch (SQLException | RuntimeException ex) {
			closeConnection();
			throw ex;
		}
	}

	private void warmUp() {
		try {
			SlotStatus.read(connection(), this.slotName);
		}
		catch (SQLException ex) {
			closeConnection(); // the first read tries again and reports the error
		}
	}

	private Connection connection() throws SQLException {
		Connection current = this.connection;
		if (current == null || current.isClosed()) {
			Properties properties = new Properties();
			if (this.settings.username() != null) {
				PGProperty.USER.set(properties, this.settings.username());
			}
			if (this.settings.password() != null) {
				PGProperty.PASSWORD.set(properties, this.settings.password());
			}
			PGProperty.APPLICATION_NAME.set(properties, "outbox-relay-health");
			PGProperty.CONNECT_TIMEOUT.set(properties, LINK_TIMEOUT_SECONDS);
			PGProperty.LOGIN_TIMEOUT.set(properties, LINK_TIMEOUT_SECONDS);
			PGProperty.SOCKET_TIMEOUT.set(properties, LINK_TIMEOUT_SECONDS);
			current = DriverManager.getConnection(this.settings.jdbcUrl(), properties);
			this.connection = current;
			try (Statement statement = current.createStatement()) {
				statement.execute("SET statement_timeout = '" + LINK_TIMEOUT_SECONDS + "s'");
			}
		}
		return current;
	}

	private void closeConnection() {
		Connection current = this.connection;
		this.connection = null;
		if (current != null) {
			try {
				current.close();
			}
			catch (SQLException ex) {
				// gone either way
			}
		}
	}

	/** Closes the connection once any pending query has ended, and stops the worker. */
	@Override
	public void close() {
		this.worker.execute(this::closeConnection);
		this.worker.shutdown();
	}

}
