package dev.outbox.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A process that publishes the outbox to Kafka and is measured, the relay ({@link RelayProcess})
 * or a peer ({@link ConnectProcess}): a JVM of its own with its output in a log file. Stopped
 * gracefully (SIGTERM), killed only if it does not stop within 30 seconds.
 */
public abstract class Publisher implements AutoCloseable {

	private final String name;

	private final Process process;

	private final Path log;

	/**
	 * Starts the process.
	 * @param name its name in the report
	 * @param command the command line
	 * @param log where its output goes (appended)
	 * @throws IOException when it cannot start
	 */
	protected Publisher(String name, List<String> command, Path log) throws IOException {
		this.name = name;
		this.process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
			.start();
		this.log = log;
	}

	/** @return the path of the running JVM's {@code java} */
	protected static String java() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	/** @return its name in the report: {@code relay}, {@code debezium}, ... */
	public String name() {
		return this.name;
	}

	/** @return its pid */
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
