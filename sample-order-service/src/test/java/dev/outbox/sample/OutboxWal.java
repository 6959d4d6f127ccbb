package dev.outbox.sample;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.outbox.testsupport.TestDatabase;
import org.jspecify.annotations.Nullable;

/**
 * What a test's actions wrote to the WAL, decoded from a {@code test_decoding} slot created when
 * the test starts: the outbox INSERTs (the events the relay would publish) and, per transaction,
 * the tables it changed.
 */
public final class OutboxWal implements AutoCloseable {

	private static final Pattern OUTBOX_INSERT = Pattern.compile("^table public\\.outbox_event: INSERT: ");

	private static final Pattern CHANGE = Pattern.compile("^table ([\\w.]+): (INSERT|UPDATE|DELETE):");

	private final TestDatabase database;

	private final String slot;

	private final List<Change> changes = new ArrayList<>();

	private OutboxWal(TestDatabase database, String slot) {
		this.database = database;
		this.slot = slot;
	}

	/**
	 * Starts recording: everything committed from now on is decoded.
	 * @param database the database to watch
	 * @return the recorder; close it to drop its slot
	 */
	public static OutboxWal record(TestDatabase database) {
		String slot = database.uniqueName("sample_wal");
		try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
			statement.execute("SELECT pg_create_logical_replication_slot('" + slot + "', 'test_decoding')");
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Cannot create slot " + slot + ": " + ex.getMessage(), ex);
		}
		return new OutboxWal(database, slot);
	}

	/**
	 * Returns the outbox events committed since recording started.
	 * @return the events in commit order
	 */
	public List<OutboxInsert> events() {
		return changes().stream().filter(change -> change.event() != null).map(Change::event).toList();
	}

	/**
	 * Returns every row change committed since recording started.
	 * @return the changes in commit order
	 */
	public synchronized List<Change> changes() {
		try (Connection connection = this.database.connect();
				PreparedStatement statement = connection.prepareStatement(
						"SELECT xid, data FROM pg_logical_slot_get_changes(?, NULL, NULL, 'include-xids', '1')")) {
			statement.setString(1, this.slot);
			try (ResultSet rows = statement.executeQuery()) {
				while (rows.next()) {
					String data = rows.getString("data");
					Matcher change = CHANGE.matcher(data);
					if (change.find()) {
						OutboxInsert event = OUTBOX_INSERT.matcher(data).find() ? new OutboxInsert(
								column(data, "aggregate_type"), column(data, "aggregate_id"), column(data, "event_type"))
								: null;
						this.changes.add(new Change(rows.getLong("xid"), change.group(1), change.group(2), event));
					}
				}
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Cannot read slot " + this.slot + ": " + ex.getMessage(), ex);
		}
		return List.copyOf(this.changes);
	}

	private static String column(String data, String name) {
		Matcher matcher = Pattern.compile(" " + name + "\\[[^]]+]:'([^']*)'").matcher(data);
		if (!matcher.find()) {
			throw new IllegalStateException("No column " + name + " in " + data);
		}
		return matcher.group(1);
	}

	@Override
	public void close() throws SQLException {
		try (Connection connection = this.database.connect(); Statement statement = connection.createStatement()) {
			statement.execute("SELECT pg_drop_replication_slot('" + this.slot + "')");
		}
	}

	/**
	 * An outbox row INSERTed in the WAL.
	 * @param aggregateType its aggregate type
	 * @param aggregateId its aggregate id
	 * @param eventType its event type
	 */
	public record OutboxInsert(String aggregateType, String aggregateId, String eventType) {
	}

	/**
	 * One row change.
	 * @param xid the transaction
	 * @param table schema-qualified table
	 * @param operation INSERT, UPDATE or DELETE
	 * @param event the outbox event, for an outbox INSERT
	 */
	public record Change(long xid, String table, String operation, @Nullable OutboxInsert event) {
	}

}
