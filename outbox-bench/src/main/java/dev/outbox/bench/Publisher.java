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

	private final Path gcLog;

	/**
	 * Starts the process.
	 * @param name its name in the report
	 * @param command the command line, which must log the JVM's GC pauses to {@code gcLog}
	 * ({@link #gcLogOption(Path)})
	 * @param log where its output goes (appended)
	 * @param gcLog where its JVM logs its GC pauses
	 * @throws IOException when it cannot start
	 */
	protected Publisher(String name, List<String> command, Path log, Path gcLog) throws IOException {
		this.name = name;
		this.process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
			.start();
		this.log = log;
		this.gcLog = gcLog;
	}

	/**
	 * @param gcLog the file
	 * @return the JVM option that logs each GC pause to the file with its wall-clock time, which
	 * {@link GcLog} reads
	 */
	protected static String gcLogOption(Path gcLog) {
		return "-Xlog:gc:file=" + gcLog + ":time";
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

	/** @return the file its JVM logs its GC pauses to */
	public Path gcLog() {
		return this.gcLog;
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
