package dev.outbox.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The benchmark's PostgreSQL: one database per workload, the contract table from
 * {@code db/migration/V1__outbox_event.sql}, the relay's publication, and slots created before a
 * backlog is written so that they all start at the same position.
 *
 * @param host server host
 * @param port server port
 * @param user role (a superuser: it creates databases and slots)
 * @param database the database this instance talks to
 */
public record Database(String host, int port, String user, String database) {

	/** The publication the relay and {@code pg_recvlogical} read. */
	public static final String PUBLICATION = "outbox_pub";

	/**
	 * Parses the URL {@code scripts/pg-local.sh} exports.
	 * @param jdbcUrl for example {@code jdbc:postgresql://127.0.0.1:55432/postgres?user=postgres}
	 * @return the server's maintenance database
	 */
	public static Database fromJdbcUrl(String jdbcUrl) {
		URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
		String user = "postgres";
		if (uri.getQuery() != null) {
			for (String parameter : uri.getQuery().split("&")) {
				if (parameter.startsWith("user=")) {
					user = parameter.substring("user=".length());
				}
			}
		}
		String path = uri.getPath();
		return new Database(uri.getHost(), uri.getPort(), user, (path.length() > 1) ? path.substring(1) : "postgres");
	}

	/** @return the JDBC URL of this database */
	public String jdbcUrl() {
		return "jdbc:postgresql://" + this.host + ":" + this.port + "/" + this.database;
	}

	/** @return the libpq connection string of this database, for {@code pg_recvlogical} */
	public String conninfo() {
		return "host=" + this.host + " port=" + this.port + " user=" + this.user + " dbname=" + this.database;
	}

	/**
	 * Opens a connection.
	 * @return an open connection, auto-commit on
	 * @throws SQLException when the server refuses
	 */
	public Connection connect() throws SQLException {
		return DriverManager.getConnection(jdbcUrl() + "?user=" + this.user + "&ApplicationName=outbox-bench");
	}

	/**
	 * Drops (with its slots) and creates a database.
	 * @param name the database
	 * @return it
	 * @throws SQLException on failure
	 */
	public Database recreate(String name) throws SQLException {
		try (Connection connection = connect(); Statement statement = connection.createStatement()) {
			try (ResultSet slots = statement
				.executeQuery("SELECT slot_name FROM pg_replication_slots WHERE database = '" + name + "'")) {
				while (slots.next()) {
					try (Statement drop = connection.createStatement()) {
						drop.execute("SELECT pg_drop_replication_slot('" + slots.getString(1) + "')");
					}
				}
			}
			statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
			statement.execute("CREATE DATABASE " + name);
		}
		return new Database(this.host, this.port, this.user, name);
	}

	/**
	 * Creates the contract table from the migration file, and the relay's publication.
	 * @param migration {@code db/migration/V1__outbox_event.sql}
	 * @throws SQLException on failure
	 * @throws IOException when the file cannot be read
	 */
	public void createOutbox(Path migration) throws SQLException, IOException {
		String ddl = Files.readString(migration).replace("${outbox_table}", "public.outbox_event");
		try (Connection connection = connect(); Statement statement = connection.createStatement()) {
			statement.execute(ddl);
			statement.execute("CREATE PUBLICATION " + PUBLICATION
					+ " FOR TABLE public.outbox_event WITH (publish = 'insert')");
		}
	}

	/**
	 * Creates a pgoutput slot at the current position.
	 * @param slot its name
	 * @throws SQLException on failure
	 */
	public void createSlot(String slot) throws SQLException {
		try (Connection connection = connect();
				PreparedStatement statement = connection
					.prepareStatement("SELECT pg_create_logical_replication_slot(?, 'pgoutput')")) {
			statement.setString(1, slot);
			statement.execute();
		}
	}

	/**
	 * Drops a slot if it exists.
	 * @param slot its name
	 * @throws SQLException on failure
	 */
	public void dropSlot(String slot) throws SQLException {
		try (Connection connection = connect();
				PreparedStatement statement = connection.prepareStatement(
						"SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = ?")) {
			statement.setString(1, slot);
			statement.execute();
		}
	}

	/**
	 * Returns the server's current WAL insert position.
	 * @return {@code pg_current_wal_lsn()} as a number
	 * @throws SQLException on failure
	 */
	public long currentWalLsn() throws SQLException {
		return queryLong("SELECT pg_current_wal_lsn() - '0/0'");
	}

	/**
	 * Returns the text form of a WAL position.
	 * @param lsn the position
	 * @return {@code X/X}
	 */
	public static String lsnText(long lsn) {
		return Long.toHexString(lsn >>> 32).toUpperCase() + "/" + Long.toHexString(lsn & 0xffffffffL).toUpperCase();
	}

	/**
	 * Returns the pid of the walsender streaming a slot.
	 * @param slot the slot
	 * @return its pid, or 0 while the slot is not streamed
	 * @throws SQLException on failure
	 */
	public long walsenderPid(String slot) throws SQLException {
		return queryLong("SELECT coalesce(max(active_pid), 0) FROM pg_replication_slots WHERE slot_name = '" + slot + "'");
	}

	/**
	 * Returns a slot's confirmed position.
	 * @param slot the slot
	 * @return its {@code confirmed_flush_lsn}, or 0
	 * @throws SQLException on failure
	 */
	public long confirmedLsn(String slot) throws SQLException {
		return queryLong("SELECT coalesce(max(confirmed_flush_lsn - '0/0'), 0) FROM pg_replication_slots WHERE slot_name = '"
				+ slot + "'");
	}

	/**
	 * Returns the server version.
	 * @return {@code server_version}
	 * @throws SQLException on failure
	 */
	public String serverVersion() throws SQLException {
		try (Connection connection = connect(); Statement statement = connection.createStatement();
				ResultSet row = statement.executeQuery("SHOW server_version")) {
			row.next();
			return row.getString(1);
		}
	}

	/**
	 * Runs a query that returns one number.
	 * @param sql the query
	 * @return the number
	 * @throws SQLException on failure
	 */
	public long queryLong(String sql) throws SQLException {
		try (Connection connection = connect(); Statement statement = connection.createStatement();
				ResultSet row = statement.executeQuery(sql)) {
			row.next();
			return row.getBigDecimal(1).longValueExact();
		}
	}

	/**
	 * Runs a statement.
	 * @param sql the statement
	 * @throws SQLException on failure
	 */
	public void execute(String sql) throws SQLException {
		try (Connection connection = connect(); Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

}
