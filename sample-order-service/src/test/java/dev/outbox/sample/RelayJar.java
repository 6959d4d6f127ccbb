package dev.outbox.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import dev.outbox.testsupport.JavaProcess;
import dev.outbox.testsupport.KafkaBroker;
import dev.outbox.testsupport.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The real relay, run from its executable jar in a child JVM, on a slot and publication of its own,
 * publishing to topics named {@code <prefix>.{aggregateType}}.
 * <p>
 * The jar is {@code outbox-relay/target/outbox-relay.jar}, built by the reactor's {@code package}
 * phase before this module's tests ({@code ./mvnw verify}); this module depends on the relay's pom
 * for that order only.
 */
public final class RelayJar implements AutoCloseable {

	private static final Path RELAY_MODULE = Path.of("..", "outbox-relay");

	private static final Path JAR = RELAY_MODULE.resolve(Path.of("target", "outbox-relay.jar"));

	/** The launcher named in the manifest of every Spring Boot 4 executable jar. */
	private static final String JAR_LAUNCHER = "org.springframework.boot.loader.launch.JarLauncher";

	private final TestDatabase database;

	private final String slot;

	private final JavaProcess process;

	private RelayJar(TestDatabase database, String slot, JavaProcess process) {
		this.database = database;
		this.slot = slot;
		this.process = process;
	}

	/**
	 * Starts the relay once the outbox table exists (it creates its publication on that table and
	 * its slot) and waits until it streams: every event committed from then on is relayed.
	 * @param database the database whose outbox it relays
	 * @param kafka the broker
	 * @param topicPrefix the topics' prefix
	 * @return the streaming relay
	 */
	public static RelayJar start(TestDatabase database, KafkaBroker kafka, String topicPrefix) {
		String slot = database.uniqueName("e2e");
		List<String> arguments = new ArrayList<>();
		for (String property : database.springDataSourceProperties()) {
			arguments.add("--" + property);
		}
		arguments.addAll(List.of("--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
				"--outbox.relay.slot-name=" + slot, "--outbox.relay.publication-name=" + slot + "_pub",
				"--outbox.relay.topic-template=" + topicPrefix + ".{aggregateType}", "--server.port=0"));
		// JavaProcess runs a main class from a class path: the jar's own launcher is what
		// java -jar would run.
		JavaProcess process = new JavaProcess("relay", jar().toString(),
				List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"), JAR_LAUNCHER, arguments,
				Path.of("target", "relay-logs", slot + ".log"))
			.start();
		await().atMost(Duration.ofSeconds(60)).until(() -> {
			assertThat(process.isAlive()).as("relay exited: %s", process.describe()).isTrue();
			return log(process).contains("Streaming slot " + slot);
		});
		return new RelayJar(database, slot, process);
	}

	/**
	 * Stops the relay and drops its slot, which is cluster-wide and would otherwise hold WAL back for
	 * every later test.
	 */
	@Override
	public void close() throws SQLException {
		this.process.stop(Duration.ofSeconds(20));
		await().atMost(Duration.ofSeconds(20)).until(() -> !slotActive());
		try (Connection connection = this.database.connect();
				PreparedStatement drop = connection.prepareStatement(
						"SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = ?")) {
			drop.setString(1, this.slot);
			drop.execute();
		}
	}

	private boolean slotActive() throws SQLException {
		try (Connection connection = this.database.connect();
				PreparedStatement query = connection
					.prepareStatement("SELECT active FROM pg_replication_slots WHERE slot_name = ?")) {
			query.setString(1, this.slot);
			try (ResultSet row = query.executeQuery()) {
				return row.next() && row.getBoolean("active");
			}
		}
	}

	private static String log(JavaProcess process) {
		try {
			return Files.exists(process.logFile()) ? Files.readString(process.logFile()) : "";
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	// The jar must exist and be newer than the relay's compiled classes: a jar left from an
	// earlier build would test old relay code.
	private static Path jar() {
		assertThat(JAR).as("the relay's executable jar; build it with ./mvnw verify (or package)").isRegularFile();
		Path classes = RELAY_MODULE.resolve(Path.of("target", "classes"));
		if (Files.isDirectory(classes)) {
			try (Stream<Path> files = Files.walk(classes)) {
				FileTime jar = Files.getLastModifiedTime(JAR);
				assertThat(files.filter(Files::isRegularFile).filter(file -> lastModified(file).compareTo(jar) > 0))
					.as("relay classes newer than %s; rebuild it with ./mvnw verify (or package)", JAR)
					.isEmpty();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		return JAR;
	}

	private static FileTime lastModified(Path file) {
		try {
			return Files.getLastModifiedTime(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
