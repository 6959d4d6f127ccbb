package dev.outbox.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The relay as users run it: its executable jar in a JVM of its own, {@code -Xmx256m}, output to
 * a log file. Stopped gracefully (SIGTERM), killed only if it does not stop.
 */
public final class RelayProcess implements AutoCloseable {

	private final Process process;

	private final Path log;

	private RelayProcess(Process process, Path log) {
		this.process = process;
		this.log = log;
	}

	/**
	 * Starts a relay.
	 * @param jar the executable jar
	 * @param jvmOptions JVM options ({@code -Xmx256m}, a flight recording...)
	 * @param database the outbox database
	 * @param bootstrap Kafka
	 * @param slot the slot to stream, which must exist
	 * @param log where its output goes
	 * @return the running relay
	 * @throws IOException when the JVM cannot start
	 */
	public static RelayProcess start(Path jar, List<String> jvmOptions, Database database, String bootstrap,
			String slot, Path log) throws IOException {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
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
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
			.start();
		return new RelayProcess(process, log);
	}

	/** @return the relay's pid */
	public long pid() {
		return this.process.pid();
	}

	/** @return whether it still runs */
	public boolean isAlive() {
		return this.process.isAlive();
	}

	/** @return its log file */
	public Path log() {
		return this.log;
	}

	/**
	 * Stops it gracefully, waiting up to 30 seconds, then kills it.
	 * @throws InterruptedException when interrupted
	 */
	@Override
	public void close() throws InterruptedException {
		if (this.process.isAlive()) {
			this.process.destroy();
			if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
	}

}
