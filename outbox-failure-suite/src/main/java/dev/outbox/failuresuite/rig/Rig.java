package dev.outbox.failuresuite.rig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

import dev.outbox.testsupport.KafkaBroker;
import dev.outbox.testsupport.TcpProxy;
import dev.outbox.testsupport.ThrowawayPostgres;

/**
 * What every scenario runs on, started once per suite: a PostgreSQL cluster and a Kafka broker of
 * the suite's own (so that it may restart, crash and kill them), a TCP proxy between the relay and
 * each of them, and a private copy of the relay's executable jar.
 * <p>
 * Only relays connect through the proxies (PostgreSQL at {@link #proxiedJdbcUrl(String)}, Kafka at
 * {@link KafkaBroker#proxiedBootstrapServers()}); the workload's writers and consumer connect
 * directly, so a network cut separates the relay alone.
 * <p>
 * The cluster runs with {@code wal_sender_timeout=5s}, so that a stalled replication connection
 * is given up by the server within a short scenario.
 */
public final class Rig implements DatabaseServer, AutoCloseable {

	/** {@code wal_sender_timeout} of the suite's cluster. */
	public static final String WAL_SENDER_TIMEOUT = "5s";

	/** The {@code postgresql.conf} settings of the suite's cluster, and of a scenario's primary with a standby. */
	static final Map<String, String> CLUSTER_SETTINGS = Map.of("wal_level", "logical", "max_replication_slots", "10",
			"max_wal_senders", "10", "max_connections", "100", "wal_sender_timeout", WAL_SENDER_TIMEOUT,
			"shared_buffers", "128MB");

	/**
	 * Partitions of every topic the suite creates: several, so that records without a key (the
	 * lab's key {@code none}) spread over them.
	 */
	public static final int TOPIC_PARTITIONS = 6;

	private final Path directory;

	private final Path relayJar;

	private final List<String> relayProperties;

	private final ThrowawayPostgres postgres;

	private final TcpProxy postgresProxy;

	private final TcpProxy kafkaProxy;

	private final KafkaBroker kafka;

	private boolean closed;

	private Rig(Path directory, Path relayJar, List<String> relayProperties, ThrowawayPostgres postgres,
			TcpProxy postgresProxy, TcpProxy kafkaProxy, KafkaBroker kafka) {
		this.directory = directory;
		this.relayJar = relayJar;
		this.relayProperties = relayProperties;
		this.postgres = postgres;
		this.postgresProxy = postgresProxy;
		this.kafkaProxy = kafkaProxy;
		this.kafka = kafka;
	}

	/**
	 * Starts the cluster, the broker and both proxies.
	 * @param directory where logs and the relay jar copy go
	 * @param relayJar the relay's executable jar, copied so that a concurrent build cannot change it mid-run
	 * @param relayProperties settings, {@code key=value}, added to every relay's (to run the suite
	 * against a relay configured otherwise)
	 * @return the running rig
	 */
	public static Rig start(Path directory, Path relayJar, List<String> relayProperties) {
		if (!Files.isRegularFile(relayJar)) {
			throw new IllegalStateException("The relay's executable jar " + relayJar.toAbsolutePath() + " is missing; "
					+ "build it first (./mvnw -pl outbox-relay -am -DskipTests package), or run "
					+ "./scripts/failure-suite.sh, which does");
		}
		ThrowawayPostgres postgres = null;
		TcpProxy postgresProxy = null;
		TcpProxy kafkaProxy = null;
		try {
			delete(directory.resolve("logs")); // an earlier run's logs would fool the log watchers
			Files.createDirectories(directory.resolve("logs"));
			Path jar = directory.resolve("outbox-relay.jar");
			Files.copy(relayJar, jar, StandardCopyOption.REPLACE_EXISTING);
			postgres = ThrowawayPostgres.start("failure-suite", CLUSTER_SETTINGS);
			postgresProxy = TcpProxy.open("relay-postgres").forwardTo(postgres.port());
			kafkaProxy = TcpProxy.open("relay-kafka");
			KafkaBroker kafka = KafkaBroker.startPrivateBehindProxy("failure-suite", kafkaProxy.port());
			kafkaProxy.forwardTo(kafka.proxiedListenerPort());
			Rig rig = new Rig(directory, jar, List.copyOf(relayProperties), postgres, postgresProxy, kafkaProxy, kafka);
			// An interrupted run (Ctrl-C in Maven) still removes the cluster and the broker.
			Runtime.getRuntime().addShutdownHook(new Thread(rig::close, "failure-suite-rig-cleanup"));
			return rig;
		}
		catch (IOException ex) {
			closeAll(postgres, postgresProxy, kafkaProxy);
			throw new UncheckedIOException(ex);
		}
		catch (RuntimeException | Error ex) {
			closeAll(postgres, postgresProxy, kafkaProxy);
			throw ex;
		}
	}

	private static void closeAll(AutoCloseable... closeables) {
		for (AutoCloseable closeable : closeables) {
			if (closeable != null) {
				try {
					closeable.close();
				}
				catch (Exception ex) {
					// closing after a failure; the failure is what matters
				}
			}
		}
	}

	/** @return the cluster, to restart and crash */
	public ThrowawayPostgres postgres() {
		return this.postgres;
	}

	/** @return the broker, to kill and restart */
	public KafkaBroker kafka() {
		return this.kafka;
	}

	/** @return the proxy between relays and PostgreSQL */
	public TcpProxy postgresProxy() {
		return this.postgresProxy;
	}

	/** @return the proxy between relays and Kafka */
	public TcpProxy kafkaProxy() {
		return this.kafkaProxy;
	}

	/** @return the cluster's PostgreSQL version ({@code server_version}), for reports */
	public String postgresVersion() {
		try (Connection connection = this.postgres.connect(); Statement statement = connection.createStatement();
				ResultSet row = statement.executeQuery("SHOW server_version")) {
			row.next();
			return row.getString(1);
		}
		catch (SQLException ex) {
			return "unknown (" + ex.getMessage() + ")";
		}
	}

	/** @return the directory of the processes' logs */
	public Path logs() {
		return this.directory.resolve("logs");
	}

	/**
	 * @param database a database of the cluster
	 * @return its JDBC URL, direct
	 */
	@Override
	public String jdbcUrl(String database) {
		return "jdbc:postgresql://127.0.0.1:" + this.postgres.port() + "/" + database;
	}

	/**
	 * @param database a database of the cluster
	 * @return its JDBC URL through the relay's proxy
	 */
	public String proxiedJdbcUrl(String database) {
		return "jdbc:postgresql://127.0.0.1:" + this.postgresProxy.port() + "/" + database;
	}

	/**
	 * @param database a database of the cluster
	 * @return its JDBC URL through the relay's proxy ({@link #proxiedJdbcUrl(String)})
	 */
	@Override
	public String relayJdbcUrl(String database) {
		return proxiedJdbcUrl(database);
	}

	/**
	 * Finds when PostgreSQL first logged a line containing {@code text} at or after {@code after}.
	 * @param after the earliest time of interest
	 * @param text what the line contains
	 * @return the line's timestamp, if there is such a line
	 */
	public Optional<Instant> postgresLogged(Instant after, String text) {
		// log_line_prefix '%m [%p] ': "2026-01-31 12:00:00.123 UTC [42] LOG:  ..."
		DateTimeFormatter format = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS z", Locale.ROOT);
		try (Stream<String> lines = Files.lines(this.postgres.serverLog())) {
			return lines.filter((line) -> line.contains(text) && line.length() > 27).map((line) -> {
				try {
					return Optional.of(ZonedDateTime.parse(line.substring(0, line.indexOf(" [")), format).toInstant());
				}
				catch (RuntimeException ex) {
					return Optional.<Instant>empty();
				}
			}).flatMap(Optional::stream).filter((at) -> !at.isBefore(after)).findFirst();
		}
		catch (IOException | UncheckedIOException ex) {
			return Optional.empty();
		}
	}

	/**
	 * Creates a database (dropping a leftover one of the same name).
	 * @param name its name
	 */
	@Override
	public void createDatabase(String name) {
		this.postgres.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
		this.postgres.execute("CREATE DATABASE " + name);
	}

	/**
	 * Drops a replication slot (once no relay streams it) and a database.
	 * @param database the database
	 * @param slot the slot in it
	 */
	@Override
	public void dropDatabase(String database, String slot) {
		this.postgres.execute("SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = '"
				+ slot + "' AND active_pid IS NOT NULL");
		org.awaitility.Awaitility.await("slot " + slot + " released")
			.atMost(java.time.Duration.ofSeconds(30))
			.ignoreExceptions()
			.until(() -> {
				this.postgres.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots "
						+ "WHERE slot_name = '" + slot + "' AND NOT active");
				return true;
			});
		this.postgres.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
	}

	/**
	 * Creates a topic of {@link #TOPIC_PARTITIONS} partitions (directly, not through the proxy).
	 * @param topic its name
	 */
	public void createTopic(String topic) {
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, this.kafka.bootstrapServers()))) {
			admin.createTopics(List.of(new NewTopic(topic, TOPIC_PARTITIONS, (short) 1))).all().get(60, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			throw new IllegalStateException("Cannot create topic " + topic + " on " + this.kafka + ": " + ex, ex);
		}
	}

	/**
	 * Prepares a relay on a free HTTP port, connected through both proxies.
	 * @param name readable name, for its log
	 * @param properties its settings, {@code key=value}; a later one replaces an earlier one of the
	 * same key, and the rig's own relay properties replace them all
	 * @return the relay, not started
	 */
	public RelayProcess relay(String name, List<String> properties) {
		return relay(name, properties, RelayLaunch.SHIPPED);
	}

	/**
	 * Prepares a relay, the shipped one or a lab-only variant, on a free HTTP port, connected through both proxies.
	 * @param name readable name, for its log
	 * @param properties its settings, as for {@link #relay(String, List)}
	 * @param launch how its JVM starts
	 * @return the relay, not started
	 */
	public RelayProcess relay(String name, List<String> properties, RelayLaunch launch) {
		// A later setting replaces an earlier one of the same key (Spring would join repeated keys with commas).
		Map<String, String> merged = new java.util.LinkedHashMap<>();
		for (String property : concat(properties, this.relayProperties)) {
			merged.put(property.substring(0, Math.max(0, property.indexOf('='))), property);
		}
		return new RelayProcess(name, this.relayJar, freePort(), List.copyOf(merged.values()), logs(), launch);
	}

	private static List<String> concat(List<String> first, List<String> second) {
		List<String> all = new java.util.ArrayList<>(first);
		all.addAll(second);
		return all;
	}

	/** @return a free TCP port on 127.0.0.1 */
	public static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Kills the broker and removes its directory, stops and removes the cluster; idempotent. */
	@Override
	public synchronized void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		try {
			this.kafka.kill();
			delete(this.kafka.directory());
		}
		finally {
			closeAll(this.postgresProxy, this.kafkaProxy, this.postgres);
		}
	}

	private static void delete(Path directory) {
		try (Stream<Path> files = Files.walk(directory)) {
			files.sorted(Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
		}
		catch (IOException | UncheckedIOException ex) {
			// a leftover directory in /tmp is harmless
		}
	}

}
