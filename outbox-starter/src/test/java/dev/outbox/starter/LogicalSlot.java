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
	 * @param kind {@code BEGIN}, {@code COMMIT}, {@code INSERT}, {@code UPDATE}, {@code DELETE} or
	 * {@code message}
	 * @param table the qualified table name of a row change, empty otherwise
	 * @param columns the decoded column values of a row change, unquoted
	 * @param data the line as {@code test_decoding} wrote it
	 */
	public record Change(long xid, String kind, String table, Map<String, String> columns, String data) {

		private static final Pattern MESSAGE = Pattern.compile(
				"message: transactional: (\\d) prefix: (.*), sz: (\\d+) content:(.*)", Pattern.DOTALL);

		static Change parse(long xid, String data) {
			Matcher change = TABLE_CHANGE.matcher(data);
			if (!change.matches()) {
				String kind = data.split(" ")[0];
				return new Change(xid, kind.endsWith(":") ? kind.substring(0, kind.length() - 1) : kind, "",
						Map.of(), data);
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
			return new Change(xid, change.group(2), change.group(1), columns, data);
		}

		/**
		 * The parts of a logical decoding message ({@code pg_logical_emit_message}).
		 * @return the message, or {@code null} if this change is not one
		 */
		public @org.jspecify.annotations.Nullable Message message() {
			Matcher message = MESSAGE.matcher(this.data);
			if (!message.matches()) {
				return null;
			}
			return new Message("1".equals(message.group(1)), message.group(2), message.group(4));
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

	/**
	 * A decoded {@code pg_logical_emit_message}.
	 *
	 * @param transactional whether it was emitted as part of its transaction
	 * @param prefix the prefix
	 * @param content the content, as text
	 */
	public record Message(boolean transactional, String prefix, String content) {
	}

}
