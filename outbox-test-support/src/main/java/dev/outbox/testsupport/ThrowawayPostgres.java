package dev.outbox.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL cluster of a test's own, for settings the shared server must not have (for example
 * {@code wal_level=replica}, or a tiny {@code max_slot_wal_keep_size} that would invalidate other
 * tests' slots), or to restart and crash it ({@link #restart(ShutdownMode)}). It runs from the
 * local PostgreSQL server binaries and is removed by {@link #close()}.
 * <p>
 * The binaries are found in {@code $OUTBOX_PG_BIN} (what {@code scripts/pg-local.sh} exports),
 * else in the newest {@code /usr/lib/postgresql/<version>/bin}, else on the {@code PATH}. Without
 * them the test fails (never skips) saying what to install. As root, the server runs as the
 * {@code postgres} OS user, since PostgreSQL refuses to run as root.
 */
public final class ThrowawayPostgres implements AutoCloseable {

	/** Environment variable naming the directory of the server binaries. */
	public static final String BIN_VARIABLE = "OUTBOX_PG_BIN";

	/** What a developer reads when no server binaries can be found. */
	public static final String HOW_TO_INSTALL = "PostgreSQL server binaries (initdb, pg_ctl) not found; this test starts a "
			+ "throwaway cluster of its own from them. Install them (Debian/Ubuntu: apt-get install postgresql, which "
			+ "puts them in /usr/lib/postgresql/<version>/bin) or set " + BIN_VARIABLE
			+ " to the directory holding initdb and pg_ctl (scripts/pg-local.sh start exports it)";

	private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(90);

	private final Path binaries;

	private final Path directory;

	private final int port;

	private final boolean asPostgresUser;

	private ThrowawayPostgres(Path binaries, Path directory, int port, boolean asPostgresUser) {
		this.binaries = binaries;
		this.directory = directory;
		this.port = port;
		this.asPostgresUser = asPostgresUser;
	}

	/**
	 * Creates and starts a cluster (trust authentication, superuser {@code postgres}, listening on
	 * 127.0.0.1 only).
	 * @param name readable part of its directory name
	 * @param settings {@code postgresql.conf} settings, for example {@code wal_level=replica}
	 * @return the running cluster
	 */
	public static ThrowawayPostgres start(String name, Map<String, String> settings) {
		ThrowawayPostgres cluster = create(name);
		try {
			cluster.initAndStart(settings);
			return cluster;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * A cluster's directory and port, owned by the server's OS user, with no data directory yet.
	 * @param name readable part of its directory name
	 * @return the cluster, not started
	 */
	static ThrowawayPostgres create(String name) {
		Path binaries = findBinaries();
		boolean root = "root".equals(System.getProperty("user.name"));
		try {
			Path directory = Files.createTempDirectory("outbox-pg-" + name + "-");
			if (root) {
				Files.setOwner(directory, serverUser(directory));
			}
			return new ThrowawayPostgres(binaries, directory, freePort(), root);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static UserPrincipal serverUser(Path directory) {
		try {
			return directory.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
		}
		catch (IOException ex) {
			throw new IllegalStateException("Running as root, the throwaway PostgreSQL cluster needs the "
					+ "'postgres' OS user (created by Debian's postgresql package: apt-get install postgresql)", ex);
		}
	}

	private static Path findBinaries() {
		List<Path> candidates = new ArrayList<>();
		String configured = System.getenv(BIN_VARIABLE);
		if (configured != null && !configured.isBlank()) {
			candidates.add(Path.of(configured.trim()));
		}
		Path debian = Path.of("/usr/lib/postgresql");
		if (Files.isDirectory(debian)) {
			try (Stream<Path> versions = Files.list(debian)) {
				versions.filter((version) -> version.getFileName().toString().matches("\\d+(\\.\\d+)?"))
					.sorted(Comparator.comparingDouble((Path version) -> Double.parseDouble(version.getFileName().toString()))
						.reversed())
					.forEach((version) -> candidates.add(version.resolve("bin")));
			}
			catch (IOException ex) {
				// fall through to PATH
			}
		}
		for (String entry : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
			if (!entry.isBlank()) {
				candidates.add(Path.of(entry));
			}
		}
		return candidates.stream()
			.filter((bin) -> Files.isExecutable(bin.resolve("initdb")) && Files.isExecutable(bin.resolve("pg_ctl")))
			.findFirst()
			.orElseThrow(() -> new AssertionError(HOW_TO_INSTALL + " (looked in " + candidates + ")"));
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	private void initAndStart(Map<String, String> settings) throws IOException {
		Path data = this.directory.resolve("data");
		run("initdb", List.of("-D", data.toString(), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C",
				"--no-sync"));
		Map<String, String> conf = new LinkedHashMap<>();
		conf.put("fsync", "off");
		conf.put("shared_buffers", "32MB");
		conf.put("max_connections", "30");
		settings.forEach(conf::put);
		configure("postgresql.conf", conf);
		start();
	}

	/**
	 * Appends settings to a configuration file of the data directory, after this cluster's own
	 * address, port and socket directory; later lines win.
	 * @param file {@code postgresql.conf}, or {@code postgresql.auto.conf} (read last)
	 * @param settings the settings, values quoted as in the file
	 */
	void configure(String file, Map<String, String> settings) throws IOException {
		Map<String, String> conf = new LinkedHashMap<>();
		conf.put("listen_addresses", "'127.0.0.1'");
		conf.put("port", String.valueOf(this.port));
		conf.put("unix_socket_directories", "'" + this.directory + "'");
		settings.forEach(conf::put);
		StringBuilder lines = new StringBuilder("\n# throwaway test cluster\n");
		conf.forEach((key, value) -> lines.append(key).append(" = ").append(value).append('\n'));
		Path path = data().resolve(file);
		writeDataFile(file, (Files.exists(path) ? Files.readString(path) : "") + lines);
	}

	/**
	 * Writes a file in the data directory, owned by the server's OS user.
	 * @param file its path inside the data directory
	 * @param content what it holds
	 */
	void writeDataFile(String file, String content) throws IOException {
		Path path = data().resolve(file);
		Files.writeString(path, content);
		if (this.asPostgresUser) {
			Files.setOwner(path, serverUser(path));
		}
	}

	/**
	 * Promotes a standby ({@code pg_ctl promote}) and waits until it accepts writes.
	 */
	public void promote() {
		run("pg_ctl", List.of("-D", data().toString(), "-w", "-t", "60", "promote"));
	}

	private void run(String program, List<String> arguments) {
		List<String> command = new ArrayList<>();
		if (this.asPostgresUser) {
			command.addAll(List.of("runuser", "-u", "postgres", "--"));
		}
		command.add(this.binaries.resolve(program).toString());
		command.addAll(arguments);
		Path log = this.directory.resolve(program + ".log");
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
				.start();
			if (!process.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				process.destroyForcibly();
				throw new IllegalStateException(String.join(" ", command) + " did not finish within " + COMMAND_TIMEOUT
						+ "; see " + log);
			}
			if (process.exitValue() != 0) {
				throw new IllegalStateException(String.join(" ", command) + " failed with exit code "
						+ process.exitValue() + ":\n" + tail(log) + tail(this.directory.resolve("server.log")));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot run " + command, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while running " + command, ex);
		}
	}

	private static String tail(Path file) {
		try {
			List<String> lines = Files.readAllLines(file);
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())) + "\n";
		}
		catch (IOException ex) {
			return "";
		}
	}

	/** @return JDBC URL of the cluster's {@code postgres} database */
	public String jdbcUrl() {
		return "jdbc:postgresql://127.0.0.1:" + this.port + "/postgres";
	}

	/**
	 * Returns {@code spring.datasource.*} properties for the cluster's {@code postgres} database,
	 * as the superuser.
	 * @return the properties
	 */
	public String[] springDataSourceProperties() {
		return new String[] { "spring.datasource.url=" + jdbcUrl(), "spring.datasource.username=postgres",
				"spring.datasource.password=" };
	}

	/**
	 * Opens a superuser connection to the {@code postgres} database.
	 * @return an open connection in auto-commit mode
	 * @throws SQLException when the server refuses it
	 */
	public Connection connect() throws SQLException {
		Properties properties = new Properties();
		properties.setProperty("user", "postgres");
		return DriverManager.getConnection(jdbcUrl(), properties);
	}

	/**
	 * Runs SQL as the superuser.
	 * @param sql one or more statements
	 */
	public void execute(String sql) {
		try (Connection connection = connect(); Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(sql + ": " + ex.getMessage(), ex);
		}
	}

	/** How {@code pg_ctl} shuts the server down. */
	public enum ShutdownMode {

		/** {@code -m fast}: disconnect clients, abort their transactions, write a shutdown checkpoint. */
		FAST,

		/** {@code -m immediate}: kill every server process at once, as a crash would; the next start recovers from the WAL. */
		IMMEDIATE;

		String option() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}

	}

	/**
	 * Restarts the server ({@code pg_ctl restart}) on the same port and data, and waits until it
	 * accepts connections again.
	 * @param mode how to shut it down
	 */
	public void restart(ShutdownMode mode) {
		run("pg_ctl", List.of("-D", data().toString(), "-l", this.directory.resolve("server.log").toString(), "-m",
				mode.option(), "-w", "-t", "60", "restart"));
	}

	/**
	 * Stops the server ({@code pg_ctl stop}); {@link #start()} brings it back on the same port and data.
	 * @param mode how to shut it down
	 */
	public void stop(ShutdownMode mode) {
		run("pg_ctl", List.of("-D", data().toString(), "-m", mode.option(), "-w", "-t", "60", "stop"));
	}

	/** Starts the server after {@link #stop(ShutdownMode)}, and waits until it accepts connections. */
	public void start() {
		run("pg_ctl", List.of("-D", data().toString(), "-l", this.directory.resolve("server.log").toString(), "-w",
				"-t", "60", "start"));
	}

	/** @return the TCP port on 127.0.0.1 */
	public int port() {
		return this.port;
	}

	/** @return the server's log file */
	public Path serverLog() {
		return this.directory.resolve("server.log");
	}

	/** @return the data directory */
	Path data() {
		return this.directory.resolve("data");
	}

	/** Stops the cluster at once and removes its directory. */
	@Override
	public void close() {
		try {
			if (Files.exists(data().resolve("postmaster.pid"))) {
				run("pg_ctl", List.of("-D", data().toString(), "-m", "immediate", "-w", "stop"));
			}
		}
		finally {
			try (Stream<Path> files = Files.walk(this.directory)) {
				files.sorted(Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
			}
			catch (IOException ex) {
				// a leftover directory in /tmp is harmless
			}
		}
	}

	@Override
	public String toString() {
		return "throwaway PostgreSQL at 127.0.0.1:" + this.port + " (" + this.directory + ")";
	}

}
