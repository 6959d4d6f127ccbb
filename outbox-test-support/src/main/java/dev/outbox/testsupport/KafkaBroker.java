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

	private KafkaBroker(Path directory, int port, @Nullable JavaProcess process, @Nullable String externalBootstrap) {
		this.directory = directory;
		this.port = port;
		this.process = process;
		this.externalBootstrap = externalBootstrap;
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
					? new KafkaBroker(Path.of("."), -1, null, external.trim()) : create("shared").start();
		}
		return shared;
	}

	/**
	 * Starts a broker of the caller's own, which it may stop, kill and restart.
	 * @param name readable name, used for its directory and log
	 * @return the running broker
	 */
	public static KafkaBroker startPrivate(String name) {
		return create(name).start();
	}

	private static KafkaBroker create(String name) {
		try {
			Path directory = Files.createTempDirectory("outbox-kafka-" + name + "-");
			int port = freePort();
			int controllerPort = freePort();
			Path config = directory.resolve("server.properties");
			Files.writeString(config, serverProperties(directory.resolve("data"), port, controllerPort));
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
			return new KafkaBroker(directory, port, broker, null);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String serverProperties(Path data, int port, int controllerPort) {
		return String.join("\n", "process.roles=broker,controller", "node.id=1",
				"controller.quorum.voters=1@127.0.0.1:" + controllerPort,
				"listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
				"advertised.listeners=PLAINTEXT://127.0.0.1:" + port, "controller.listener.names=CONTROLLER",
				"inter.broker.listener.name=PLAINTEXT",
				"listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT", "log.dirs=" + data,
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
