package dev.outbox.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.jspecify.annotations.Nullable;

/**
 * A real single-node Kafka broker in KRaft mode (combined broker and controller), run as a child
 * JVM from the {@code org.apache.kafka} jars on Maven Central.
 * <p>
 * The broker keeps its port and its log directory across {@link #stop()}, {@link #kill()} and
 * {@link #start()}, so a test can restart it mid-stream and find its topics and records still
 * there, as in production. The class path comes from {@code kafka-broker.classpath}, written by
 * this module's build, so the broker runs Kafka's own dependencies and nothing of the module
 * under test.
 * <p>
 * A client bootstrapping at one address is sent on to the addresses the broker <em>advertises</em>,
 * so a TCP proxy in front of the client port alone is bypassed. A broker from
 * {@link #startPrivateBehindProxy(String, int)} has a second listener, advertised at the proxy's
 * port: clients bootstrapping at {@link #proxiedBootstrapServers()} go through the proxy for every
 * connection, while {@link #bootstrapServers()} stays direct for the test's own clients.
 */
public final class KafkaBroker {

	/** Environment variable naming an external broker to use instead of starting one. */
	public static final String BOOTSTRAP_VARIABLE = "OUTBOX_TEST_KAFKA_BOOTSTRAP";

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);

	private static @Nullable KafkaBroker shared;

	private final Path directory;

	private final int port;

	private final @Nullable JavaProcess process;

	private final @Nullable String externalBootstrap;

	/** Port of the listener reached through a proxy, or -1. */
	private final int proxiedPort;

	/** Port the proxied listener is advertised at (the proxy's), or -1. */
	private final int advertisedProxyPort;

	private KafkaBroker(Path directory, int port, @Nullable JavaProcess process, @Nullable String externalBootstrap,
			int proxiedPort, int advertisedProxyPort) {
		this.directory = directory;
		this.port = port;
		this.process = process;
		this.externalBootstrap = externalBootstrap;
		this.proxiedPort = proxiedPort;
		this.advertisedProxyPort = advertisedProxyPort;
	}

	/**
	 * Returns the broker shared by the tests of this JVM, started on first use (or the external one
	 * named by {@value #BOOTSTRAP_VARIABLE}). Tests that stop or kill a broker must use
	 * {@link #startPrivate(String)} instead.
	 * @return the running shared broker
	 */
	public static synchronized KafkaBroker shared() {
		if (shared == null) {
			String external = System.getenv(BOOTSTRAP_VARIABLE);
			shared = (external != null && !external.isBlank())
					? new KafkaBroker(Path.of("."), -1, null, external.trim(), -1, -1) : create("shared", -1, List.of()).start();
		}
		return shared;
	}

	/**
	 * Starts a broker of the caller's own, which it may stop, kill and restart.
	 * @param name readable name, used for its directory and log
	 * @return the running broker
	 */
	public static KafkaBroker startPrivate(String name) {
		return create(name, -1, List.of()).start();
	}

	/**
	 * Starts a broker of the caller's own with extra {@code server.properties} lines (for example
	 * an authorizer), appended after the rig's own, so they override them.
	 * @param name readable name, used for its directory and log
	 * @param extraProperties {@code key=value} lines
	 * @return the running broker
	 */
	public static KafkaBroker startPrivate(String name, List<String> extraProperties) {
		return create(name, -1, extraProperties).start();
	}

	/**
	 * Starts a broker of the caller's own with a second listener, {@code PROXIED}, on
	 * {@link #proxiedListenerPort()} and advertised as {@code 127.0.0.1:advertisedPort}: run a TCP
	 * proxy on {@code advertisedPort} that forwards to {@link #proxiedListenerPort()}, and a client
	 * bootstrapping at {@link #proxiedBootstrapServers()} reaches the broker only through it, so
	 * the proxy can cut or stall that client's every connection. {@link #bootstrapServers()}
	 * stays direct.
	 * @param name readable name, used for its directory and log
	 * @param advertisedPort port on 127.0.0.1 of the proxy (bound by the caller, before or after)
	 * @return the running broker
	 */
	public static KafkaBroker startPrivateBehindProxy(String name, int advertisedPort) {
		if (advertisedPort <= 0) {
			throw new IllegalArgumentException("advertisedPort must be a port, was " + advertisedPort);
		}
		return create(name, advertisedPort, List.of()).start();
	}

	private static KafkaBroker create(String name, int advertisedProxyPort, List<String> extraProperties) {
		try {
			Path directory = Files.createTempDirectory("outbox-kafka-" + name + "-");
			int port = freePort();
			int controllerPort = freePort();
			int proxiedPort = (advertisedProxyPort > 0) ? freePort() : -1;
			Path config = directory.resolve("server.properties");
			Files.writeString(config,
					serverProperties(directory.resolve("data"), port, controllerPort, proxiedPort, advertisedProxyPort)
							+ String.join("\n", extraProperties) + "\n");
			String classpath = brokerClasspath();
			Path log = directory.resolve("broker.log");
			List<String> jvm = List.of("-Xms128m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
					"-Djava.awt.headless=true", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
					"-Dorg.slf4j.simpleLogger.showDateTime=true");
			JavaProcess format = new JavaProcess("kafka storage format", classpath, jvm, "kafka.tools.StorageTool",
					List.of("format", "-t", Uuid.randomUuid().toString(), "-c", config.toString()), log);
			format.start();
			if (format.awaitExit(Duration.ofSeconds(60)) != 0) {
				throw new IllegalStateException("Formatting the Kafka log directory failed: " + format.describe());
			}
			JavaProcess broker = new JavaProcess("Kafka broker " + name, classpath, jvm, "kafka.Kafka",
					List.of(config.toString()), log);
			return new KafkaBroker(directory, port, broker, null, proxiedPort, advertisedProxyPort);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String serverProperties(Path data, int port, int controllerPort, int proxiedPort,
			int advertisedProxyPort) {
		boolean proxied = proxiedPort > 0;
		return String.join("\n", "process.roles=broker,controller", "node.id=1",
				"controller.quorum.voters=1@127.0.0.1:" + controllerPort,
				"listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort
						+ (proxied ? ",PROXIED://127.0.0.1:" + proxiedPort : ""),
				"advertised.listeners=PLAINTEXT://127.0.0.1:" + port
						+ (proxied ? ",PROXIED://127.0.0.1:" + advertisedProxyPort : ""),
				"controller.listener.names=CONTROLLER", "inter.broker.listener.name=PLAINTEXT",
				"listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"
						+ (proxied ? ",PROXIED:PLAINTEXT" : ""),
				"log.dirs=" + data,
				"num.partitions=3", "auto.create.topics.enable=true", "offsets.topic.replication.factor=1",
				"offsets.topic.num.partitions=3", "transaction.state.log.replication.factor=1",
				"transaction.state.log.min.isr=1", "share.coordinator.state.topic.replication.factor=1",
				"share.coordinator.state.topic.min.isr=1", "group.initial.rebalance.delay.ms=0",
				"log.flush.interval.messages=9223372036854775807", "")
			.replace("\\", "/");
	}

	/**
	 * Returns the class path of Kafka's broker, as resolved by this module's build.
	 * @return a class path string
	 */
	public static String brokerClasspath() {
		try (InputStream in = KafkaBroker.class.getResourceAsStream("kafka-broker.classpath")) {
			if (in == null) {
				throw new IllegalStateException("kafka-broker.classpath is missing from outbox-test-support; "
						+ "build that module with Maven (./mvnw -pl outbox-test-support install) first");
			}
			return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			socket.setReuseAddress(true);
			return socket.getLocalPort();
		}
	}

	/**
	 * Starts (or restarts) the broker on its port and log directory and waits until it answers.
	 * @return this broker
	 */
	public KafkaBroker start() {
		JavaProcess broker = requireOwnProcess();
		broker.start();
		awaitReady(broker);
		return this;
	}

	private void awaitReady(JavaProcess broker) {
		long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
		Exception last = null;
		while (System.nanoTime() < deadline) {
			if (!broker.isAlive()) {
				throw new IllegalStateException("The Kafka broker exited while starting: " + broker.describe());
			}
			try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
					AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
					3000))) {
				if (!admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty()) {
					return;
				}
			}
			catch (Exception ex) {
				if (ex instanceof InterruptedException) {
					Thread.currentThread().interrupt();
					throw new IllegalStateException("Interrupted while waiting for Kafka", ex);
				}
				last = ex;
			}
		}
		throw new IllegalStateException("The Kafka broker did not answer within " + STARTUP_TIMEOUT + ": "
				+ broker.describe() + ((last != null) ? "; last error: " + last : ""));
	}

	/**
	 * Stops the broker gracefully (SIGTERM) and waits for it to exit.
	 */
	public void stop() {
		requireOwnProcess().stop(Duration.ofSeconds(60));
	}

	/**
	 * Kills the broker with SIGKILL, as a crash would.
	 */
	public void kill() {
		requireOwnProcess().kill();
	}

	/** @return whether the broker process runs (always true for an external broker) */
	public boolean isRunning() {
		return this.process == null || this.process.isAlive();
	}

	/** @return {@code host:port} for {@code bootstrap.servers} */
	public String bootstrapServers() {
		return (this.externalBootstrap != null) ? this.externalBootstrap : "127.0.0.1:" + this.port;
	}

	/**
	 * Returns the bootstrap address through the proxy, for a broker from
	 * {@link #startPrivateBehindProxy(String, int)}.
	 * @return {@code 127.0.0.1:<proxy port>}
	 * @throws IllegalStateException for a broker without a proxied listener
	 */
	public String proxiedBootstrapServers() {
		requireProxied();
		return "127.0.0.1:" + this.advertisedProxyPort;
	}

	/**
	 * Returns the port of the proxied listener: where the proxy forwards to.
	 * @return the port on 127.0.0.1
	 * @throws IllegalStateException for a broker without a proxied listener
	 */
	public int proxiedListenerPort() {
		requireProxied();
		return this.proxiedPort;
	}

	private void requireProxied() {
		if (this.proxiedPort <= 0) {
			throw new IllegalStateException(this + " has no proxied listener; start it with "
					+ "KafkaBroker.startPrivateBehindProxy(name, proxyPort)");
		}
	}

	/** @return the broker's working directory (configuration, data and log) */
	public Path directory() {
		return this.directory;
	}

	private JavaProcess requireOwnProcess() {
		if (this.process == null) {
			throw new IllegalStateException("The broker at " + this.externalBootstrap + " (from " + BOOTSTRAP_VARIABLE
					+ ") is not ours to start or stop; use KafkaBroker.startPrivate(...)");
		}
		return this.process;
	}

	@Override
	public String toString() {
		return (this.process != null) ? this.process.describe() + " at " + bootstrapServers()
				: "external Kafka at " + bootstrapServers();
	}

}
