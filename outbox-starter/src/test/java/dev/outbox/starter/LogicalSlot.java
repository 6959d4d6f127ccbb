package dev.outbox.starter;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.outbox.testsupport.TestDatabase;

/**
 * A {@code test_decoding} logical replication slot on a test database: what the relay would
 * see, decoded as text. Slots are cluster-wide and hold WAL, so each has a unique name and
 * is dropped by {@link #close()}.
 */
public final class LogicalSlot implements AutoCloseable {

	private static final Pattern TABLE_CHANGE = Pattern.compile("table ([^:]+): (INSERT|UPDATE|DELETE): (.*)");

	private static final Pattern COLUMN = Pattern.compile("(\\w+)\\[([^\\]]+)\\]:('(?:[^']|'')*'|\\S+)");

	private final TestDatabase database;

	private final String name;

	private LogicalSlot(TestDatabase database, String name) {
		this.database = database;
		this.name = name;
	}

	public static LogicalSlot create(TestDatabase database) throws SQLException {
		String name = database.uniqueName("starter");
		try (Connection connection = database.connect();
				PreparedStatement statement = connection
					.prepareStatement("SELECT pg_create_logical_replication_slot(?, 'test_decoding')")) {
			statement.setString(1, name);
			statement.execute();
		}
		return new LogicalSlot(database, name);
	}

	public String name() {
		return this.name;
	}

	/**
	 * Consume and return the committed changes decoded since the last call.
	 * @return the changes, in commit order
	 * @throws SQLException on failure
	 */
	public List<Change> take() throws SQLException {
		List<Change> changes = new ArrayList<>();
		try (Connection connection = this.database.connect();
				PreparedStatement statement = connection
					.prepareStatement("SELECT xid::text::bigint, data FROM pg_logical_slot_get_changes(?, NULL, NULL)")) {
			statement.setString(1, this.name);
			try (ResultSet rows = statement.executeQuery()) {
				while (rows.next()) {
					changes.add(Change.parse(rows.getLong(1), rows.getString(2)));
				}
			}
		}
		return changes;
	}

	@Override
	public void close() throws SQLException {
		try (Connection connection = this.database.connect();
				PreparedStatement statement = connection.prepareStatement("SELECT pg_drop_replication_slot(?)")) {
			statement.setString(1, this.name);
			statement.execute();
		}
	}

	/**
	 * One decoded change.
	 *
	 * @param xid the transaction id
	 * @param kind {@code BEGIN}, {@code COMMIT}, {@code INSERT}, {@code UPDATE} or {@code DELETE}
	 * @param table the qualified table name of a row change, empty otherwise
	 * @param columns the decoded column values of a row change, unquoted
	 */
	public record Change(long xid, String kind, String table, Map<String, String> columns) {

		static Change parse(long xid, String data) {
			Matcher change = TABLE_CHANGE.matcher(data);
			if (!change.matches()) {
				return new Change(xid, data.split(" ")[0], "", Map.of());
			}
			Map<String, String> columns = new java.util.LinkedHashMap<>();
			Matcher column = COLUMN.matcher(change.group(3));
			while (column.find()) {
				String value = column.group(3);
				if (value.startsWith("'")) {
					value = value.substring(1, value.length() - 1).replace("''", "'");
				}
				columns.put(column.group(1), value);
			}
			return new Change(xid, change.group(2), change.group(1), columns);
		}

		/**
		 * A short form for assertions: {@code "BEGIN"}, {@code "INSERT public.orders"}.
		 * @return the summary
		 */
		public String summary() {
			return this.table.isEmpty() ? this.kind : this.kind + " " + this.table;
		}

		public String column(String name) {
			return this.columns.get(name);
		}

	}

}
