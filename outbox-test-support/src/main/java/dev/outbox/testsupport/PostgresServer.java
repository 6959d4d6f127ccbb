package dev.outbox.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;

import org.jspecify.annotations.Nullable;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The one PostgreSQL server shared by every integration test in a JVM.
 * <p>
 * It is found once, lazily: from {@value #URL_VARIABLE}, else from Testcontainers when a Docker
 * engine answers, else the run fails with {@link #HOW_TO_START}. Whatever its source, the server
 * must have {@code wal_level=logical} and free replication slots and WAL senders; a server without
 * them fails the run loudly instead of letting replication tests fail later in obscure ways.
 */
public final class PostgresServer {

	/** Environment variable holding the JDBC URL of an administrative database on the server. */
	public static final String URL_VARIABLE = "OUTBOX_TEST_PG_URL";

	/** What a developer reads when no server can be found. */
	public static final String HOW_TO_START = """
			No PostgreSQL server for the integration tests.
			  Either run the whole suite with ./scripts/test.sh (it starts a throwaway cluster, installing postgresql with apt-get when missing),
			  or start one yourself:  eval "$(./scripts/pg-local.sh start)"   and run Maven in that shell
			  (it exports %s=jdbc:postgresql://127.0.0.1:<port>/postgres?user=postgres),
			  or point %s at any PostgreSQL 14+ started with wal_level=logical, max_replication_slots>=10 and max_wal_senders>=10,
			  or start a Docker engine so that Testcontainers can run the postgres image.""".formatted(URL_VARIABLE,
			URL_VARIABLE);

	private static @Nullable PostgresServer shared;

	private final String host;

	private final int port;

	private final String username;

	private final String password;

	private final String adminDatabase;

	private PostgresServer(String host, int port, String username, String password, String adminDatabase) {
		this.host = host;
		this.port = port;
		this.username = username;
		this.password = password;
		this.adminDatabase = adminDatabase;
	}

	/**
	 * Returns the server for this JVM, finding and checking it on first use.
	 * @return the shared server
	 * @throws IllegalStateException with {@link #HOW_TO_START} when there is none, or when it is not
	 * configured for logical replication
	 */
	public static synchronized PostgresServer shared() {
		if (shared == null) {
			PostgresServer server = locate();
			server.checkLogicalReplication();
			shared = server;
		}
		return shared;
	}

	private static PostgresServer locate() {
		String url = System.getenv(URL_VARIABLE);
		if (url != null && !url.isBlank()) {
			return fromUrl(url.trim());
		}
		if (dockerAvailable()) {
			return fromContainer();
		}
		throw new IllegalStateException(HOW_TO_START);
	}

	/**
	 * Parses {@code jdbc:postgresql://host:port/database?user=...&password=...}.
	 * @param url the JDBC URL
	 * @return a server description
	 */
	static PostgresServer fromUrl(String url) {
		String prefix = "jdbc:postgresql://";
		if (!url.startsWith(prefix)) {
			throw new IllegalStateException(URL_VARIABLE + " must be a URL like "
					+ "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres, but was: " + url);
		}
		String rest = url.substring(prefix.length());
		String query = "";
		int questionMark = rest.indexOf('?');
		if (questionMark >= 0) {
			query = rest.substring(questionMark + 1);
			rest = rest.substring(0, questionMark);
		}
		int slash = rest.indexOf('/');
		String hostPort = (slash >= 0) ? rest.substring(0, slash) : rest;
		String database = (slash >= 0 && slash < rest.length() - 1) ? rest.substring(slash + 1) : "postgres";
		int colon = hostPort.lastIndexOf(':');
		String host = (colon >= 0) ? hostPort.substring(0, colon) : hostPort;
		int port = (colon >= 0) ? Integer.parseInt(hostPort.substring(colon + 1)) : 5432;
		String user = "postgres";
		String password = "";
		for (String pair : query.split("&")) {
			int equals = pair.indexOf('=');
			if (equals <= 0) {
				continue;
			}
			String key = pair.substring(0, equals);
			String value = pair.substring(equals + 1);
			if (key.equals("user")) {
				user = value;
			}
			else if (key.equals("password")) {
				password = value;
			}
		}
		return new PostgresServer(host, port, user, password, database);
	}

	private static boolean dockerAvailable() {
		try {
			return DockerClientFactory.instance().isDockerAvailable();
		}
		catch (RuntimeException | LinkageError ex) {
			return false;
		}
	}

	@SuppressWarnings("resource") // stopped by Testcontainers' reaper when the JVM ends
	private static PostgresServer fromContainer() {
		PostgreSQLContainer container = new PostgreSQLContainer("postgres:15").withCommand("postgres", "-c",
				"wal_level=logical", "-c", "max_replication_slots=20", "-c", "max_wal_senders=20", "-c",
				"fsync=off");
		container.start();
		return new PostgresServer(container.getHost(), container.getMappedPort(5432), container.getUsername(),
				container.getPassword(), container.getDatabaseName());
	}

	private void checkLogicalReplication() {
		try (Connection connection = connect(this.adminDatabase); Statement statement = connection.createStatement()) {
			String walLevel = setting(statement, "wal_level");
			int slots = Integer.parseInt(setting(statement, "max_replication_slots"));
			int senders = Integer.parseInt(setting(statement, "max_wal_senders"));
			if (!"logical".equals(walLevel) || slots < 10 || senders < 10) {
				throw new IllegalStateException("The PostgreSQL server at " + this.host + ":" + this.port
						+ " has wal_level=" + walLevel + ", max_replication_slots=" + slots + ", max_wal_senders="
						+ senders + "; the tests need wal_level=logical and at least 10 of each.\n" + HOW_TO_START);
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Cannot connect to the PostgreSQL server at " + this.host + ":" + this.port
					+ " as " + this.username + ": " + ex.getMessage() + "\n" + HOW_TO_START, ex);
		}
	}

	private static String setting(Statement statement, String name) throws SQLException {
		try (ResultSet resultSet = statement.executeQuery("SHOW " + name)) {
			resultSet.next();
			return resultSet.getString(1);
		}
	}

	/**
	 * Creates a new, empty database whose name starts with the given hint.
	 * @param nameHint readable part of the name, typically the test class
	 * @return the new database
	 */
	public TestDatabase createDatabase(String nameHint) {
		String name = uniqueIdentifier(nameHint);
		try (Connection connection = connect(this.adminDatabase); Statement statement = connection.createStatement()) {
			statement.execute("CREATE DATABASE " + name);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Cannot create test database " + name + ": " + ex.getMessage(), ex);
		}
		return new TestDatabase(this, name);
	}

	/**
	 * Returns a lower-case SQL identifier that starts with the hint and is unique in practice.
	 * @param hint readable part of the identifier
	 * @return an identifier of at most 63 characters
	 */
	static String uniqueIdentifier(String hint) {
		String base = hint.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
		if (base.isEmpty() || !Character.isLetter(base.charAt(0))) {
			base = "t_" + base;
		}
		String suffix = "_" + Long.toString(ThreadLocalRandom.current().nextLong(Long.MAX_VALUE), 36);
		int room = 63 - suffix.length();
		return ((base.length() > room) ? base.substring(0, room) : base) + suffix;
	}

	Connection connect(String database) throws SQLException {
		Properties properties = new Properties();
		properties.setProperty("user", this.username);
		properties.setProperty("password", this.password);
		return DriverManager.getConnection(jdbcUrl(database), properties);
	}

	/**
	 * Returns the JDBC URL of a database on this server (without credentials).
	 * @param database the database name
	 * @return a JDBC URL
	 */
	public String jdbcUrl(String database) {
		return "jdbc:postgresql://" + this.host + ":" + this.port + "/" + database;
	}

	/** @return host name or address of the server */
	public String host() {
		return this.host;
	}

	/** @return TCP port of the server */
	public int port() {
		return this.port;
	}

	/** @return role the tests connect as (a superuser on the throwaway cluster) */
	public String username() {
		return this.username;
	}

	/** @return password of {@link #username()}, empty when the server trusts local connections */
	public String password() {
		return this.password;
	}

}
