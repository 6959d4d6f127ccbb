package dev.outbox.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The relay as users run it: its executable jar in a JVM of its own, {@code -Xmx256m}, output to
 * a log file. Stopped gracefully (SIGTERM), killed only if it does not stop.
 */
public final class RelayProcess extends Publisher {

	private RelayProcess(List<String> command, Path log, Path gcLog) throws IOException {
		super("relay", command, log, gcLog);
	}

	/**
	 * Starts a relay.
	 * @param jar the executable jar
	 * @param jvmOptions JVM options ({@code -Xmx256m}, a flight recording...)
	 * @param database the outbox database
	 * @param bootstrap Kafka
	 * @param slot the slot to stream, which must exist
	 * @param log where its output goes
	 * @param gcLog where its JVM logs its GC pauses
	 * @return the running relay
	 * @throws IOException when the JVM cannot start
	 */
	public static RelayProcess start(Path jar, List<String> jvmOptions, Database database, String bootstrap,
			String slot, Path log, Path gcLog) throws IOException {
		List<String> command = new ArrayList<>();
		command.add(java());
		command.add(gcLogOption(gcLog));
		command.addAll(jvmOptions);
		command.add("-jar");
		command.add(jar.toString());
		command.add("--spring.datasource.url=" + database.jdbcUrl());
		command.add("--spring.datasource.username=" + database.user());
		command.add("--spring.kafka.bootstrap-servers=" + bootstrap);
		command.add("--outbox.relay.slot-name=" + slot);
		command.add("--outbox.relay.publication-name=" + Database.PUBLICATION);
		command.add("--outbox.relay.create-slot=false");
		command.add("--server.port=0");
		command.add("--logging.level.org.apache.kafka=WARN");
		return new RelayProcess(command, log, gcLog);
	}

}
