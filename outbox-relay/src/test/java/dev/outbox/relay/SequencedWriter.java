package dev.outbox.relay;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;

/**
 * Writes outbox transactions (1 to 3 events, round-robin over its aggregates) that keep their rows,
 * each event numbered in its aggregate ({@code payload.seq}), through a JDBC URL that may fail over,
 * until closed. A failed transaction (for example while the primary is down) is retried on a new
 * connection; its numbers are never reused, so a database's rows ordered by {@code seq} per
 * aggregate are that aggregate's commit order, whichever transactions it kept
 * ({@link #committedIn}).
 */
final class SequencedWriter implements AutoCloseable {

	private static final long RETRY_PAUSE_NANOS = 50_000_000L;

	private final AtomicBoolean writing = new AtomicBoolean(true);

	private final AtomicInteger acknowledged = new AtomicInteger();

	private final Thread thread;

	private volatile @Nullable Exception lastError;

	SequencedWriter(String jdbcUrl, String aggregateType, String name, int aggregates) {
		this.thread = new Thread(() -> {
			Map<String, Long> sequence = new LinkedHashMap<>();
			Connection connection = null;
			int round = 0;
			while (this.writing.get()) {
				String aggregate = name + "-" + (round++ % aggregates);
				int events = 1 + ThreadLocalRandom.current().nextInt(3);
				long first = sequence.merge(aggregate, (long) events, Long::sum) - events;
				try {
					if (connection == null) {
						connection = DriverManager.getConnection(jdbcUrl, "postgres", "");
						connection.setAutoCommit(false);
					}
					write(connection, aggregateType, aggregate, first, events);
					this.acknowledged.addAndGet(events);
				}
				catch (SQLException | RuntimeException ex) {
					this.lastError = ex;
					close(connection);
					connection = null;
					LockSupport.parkNanos(RETRY_PAUSE_NANOS); // no primary yet: don't spin on a core the promotion needs
				}
			}
			close(connection);
		}, "outbox-writer-" + name);
		this.thread.start();
	}

	/**
	 * One multi-row INSERT rather than a JDBC batch: a batch whose connection dies mid-way trips an
	 * assertion inside pgjdbc (an {@link AssertionError} under {@code -ea}) instead of an SQLException.
	 */
	private static void write(Connection connection, String aggregateType, String aggregate, long first, int events)
			throws SQLException {
		StringBuilder sql = new StringBuilder("INSERT INTO outbox_event (id, aggregate_type, aggregate_id, event_type, "
				+ "payload) VALUES ");
		for (int i = 0; i < events; i++) {
			sql.append((i == 0) ? "" : ", ").append("(?::uuid, ?, ?, 'Seq', jsonb_build_object('seq', ?::bigint))");
		}
		try (PreparedStatement insert = connection.prepareStatement(sql.toString())) {
			int parameter = 1;
			for (int i = 0; i < events; i++) {
				insert.setString(parameter++, UUID.randomUUID().toString());
				insert.setString(parameter++, aggregateType);
				insert.setString(parameter++, aggregate);
				insert.setLong(parameter++, first + i);
			}
			insert.executeUpdate();
		}
		connection.commit();
	}

	private static void close(Connection connection) {
		try {
			if (connection != null) {
				connection.close();
			}
		}
		catch (SQLException ex) {
			// a broken connection: nothing to release
		}
	}

	/** @return the last error and where the writer's thread is now, for messages */
	String describe() {
		StringBuilder where = new StringBuilder(this.thread.getName()).append(": last error ").append(this.lastError)
			.append(", now at");
		for (StackTraceElement frame : this.thread.getStackTrace()) {
			where.append("\n    ").append(frame);
		}
		return where.toString();
	}

	/** @return events whose transaction's COMMIT the server acknowledged (on whichever server) */
	int acknowledged() {
		return this.acknowledged.get();
	}

	/**
	 * Reads the events a database holds, per aggregate in commit order.
	 * @param connection a connection to the database
	 * @return the event ids per aggregate id
	 */
	static CommittedEvents committedIn(Connection connection) throws SQLException {
		CommittedEvents committed = new CommittedEvents();
		try (Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery("SELECT aggregate_id, id::text FROM outbox_event "
						+ "ORDER BY aggregate_id, (payload ->> 'seq')::bigint")) {
			while (rows.next()) {
				committed.committed(rows.getString(1), List.of(rows.getString(2)));
			}
		}
		return committed;
	}

	@Override
	public void close() throws InterruptedException {
		this.writing.set(false);
		this.thread.join();
	}

}
