package dev.outbox.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Peer} running: Kafka Connect standalone ({@value Peer#CONNECT_MAIN}) in a JVM of its
 * own, with the JVM options Kafka's {@code connect-standalone.sh} gives it ({@code -Xms256m -Xmx2g},
 * G1 with a 20 ms pause goal), Connect and Debezium on its class path from the folder
 * {@code scripts/bench.sh} filled, its worker and connector properties and its offsets in the
 * run's work directory. Stopped gracefully (SIGTERM), killed only if it does not stop.
 */
public final class ConnectProcess extends Publisher {

	private ConnectProcess(Peer peer, List<String> command, Path log, Path gcLog) throws IOException {
		super(peer.label(), command, log, gcLog);
	}

	/**
	 * Starts Connect with one connector.
	 * @param peer the variant
	 * @param lib the folder holding Connect's and Debezium's jars
	 * @param work where the properties, the offsets file and the GC log ({@code gc-<name>.log}) go (a new
	 * name per start)
	 * @param name names the files of this start, e.g. {@code debezium-s1}
	 * @param database the outbox database
	 * @param bootstrap Kafka
	 * @param slot the slot to stream, which must exist
	 * @param log where its output goes
	 * @return the running process
	 * @throws IOException when the files cannot be written or the JVM cannot start
	 */
	public static ConnectProcess start(Peer peer, Path lib, Path work, String name, Database database,
			String bootstrap, String slot, Path log) throws IOException {
		if (!Files.isDirectory(lib)) {
			throw new IllegalStateException("no jars of Kafka Connect and Debezium in " + lib
					+ "; scripts/bench.sh fetches them when --peers names a peer (--debezium-lib=...)");
		}
		Path worker = work.resolve(name + "-worker.properties");
		Path connector = work.resolve(name + "-connector.properties");
		Path offsets = work.resolve(name + ".offsets");
		Files.deleteIfExists(offsets);
		Files.writeString(worker, Peer.render(Peer.worker(bootstrap, offsets)));
		Files.writeString(connector, Peer.render(peer.connector(database, slot)));
		List<String> command = new ArrayList<>();
		command.add(java());
		Path gcLog = work.resolve("gc-" + name + ".log");
		command.add(gcLogOption(gcLog));
		command.addAll(List.of("-Xms256m", "-Xmx2g", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20",
				"-XX:InitiatingHeapOccupancyPercent=35", "-XX:+ExplicitGCInvokesConcurrent",
				"-Djava.awt.headless=true", "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
				"-Dorg.slf4j.simpleLogger.showDateTime=true", "-Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients=warn"));
		command.addAll(List.of("-cp", lib.toAbsolutePath() + "/*", Peer.CONNECT_MAIN, worker.toString(),
				connector.toString()));
		return new ConnectProcess(peer, command, log, gcLog);
	}

}
