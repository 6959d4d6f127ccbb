package dev.outbox.testsupport;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * A Java main class run in a child JVM, so that a test can really {@code kill -9} it.
 * <p>
 * Output goes to a log file, which {@link #describe()} names so that a failing test points at it.
 * Every process started here is also destroyed forcibly when the test JVM exits.
 */
public final class JavaProcess {

	private final String description;

	private final List<String> command;

	private final Path logFile;

	private @Nullable Process process;

	/**
	 * Prepares (does not start) a child JVM.
	 * @param description what the process is, for messages
	 * @param classpath the child's class path
	 * @param jvmOptions options such as {@code -Xmx128m}
	 * @param mainClass fully qualified main class
	 * @param arguments program arguments
	 * @param logFile where stdout and stderr go (appended across restarts)
	 */
	public JavaProcess(String description, String classpath, List<String> jvmOptions, String mainClass,
			List<String> arguments, Path logFile) {
		this.description = description;
		this.logFile = logFile;
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(jvmOptions);
		command.add("-cp");
		command.add(classpath);
		command.add(mainClass);
		command.addAll(arguments);
		this.command = List.copyOf(command);
	}

	/**
	 * Returns this JVM's own class path, for a child that runs code of the module under test.
	 * @return the class path
	 */
	public static String currentClasspath() {
		return System.getProperty("java.class.path");
	}

	/**
	 * Starts the process; a no-op while it is alive.
	 * @return this process
	 */
	public synchronized JavaProcess start() {
		if (isAlive()) {
			return this;
		}
		try {
			File log = this.logFile.toFile();
			log.getParentFile().mkdirs();
			Process started = new ProcessBuilder(this.command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(log))
				.start();
			Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly));
			this.process = started;
			return this;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot start " + describe() + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * Kills the process with SIGKILL, as a crash would, and waits for it to be gone.
	 */
	public synchronized void kill() {
		Process current = this.process;
		if (current != null) {
			current.destroyForcibly();
			waitFor(current, Duration.ofSeconds(30));
		}
	}

	/**
	 * Asks the process to stop with SIGTERM (running its shutdown hooks), and waits for it.
	 * @param timeout how long it may take before it is killed
	 * @return the exit code, or -1 if it had to be killed
	 */
	public synchronized int stop(Duration timeout) {
		Process current = this.process;
		if (current == null || !current.isAlive()) {
			return (current != null) ? current.exitValue() : 0;
		}
		current.destroy();
		if (waitFor(current, timeout)) {
			return current.exitValue();
		}
		kill();
		return -1;
	}

	/**
	 * Waits for the process to end by itself, killing it when it outlives the timeout.
	 * @param timeout how long to wait
	 * @return the exit code, or -1 if it had to be killed
	 */
	public synchronized int awaitExit(Duration timeout) {
		Process current = this.process;
		if (current == null) {
			throw new IllegalStateException(describe() + " was never started");
		}
		if (waitFor(current, timeout)) {
			return current.exitValue();
		}
		kill();
		return -1;
	}

	private static boolean waitFor(Process process, Duration timeout) {
		try {
			return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/** @return whether the process runs now */
	public synchronized boolean isAlive() {
		return this.process != null && this.process.isAlive();
	}

	/** @return the OS process id of the running process, or -1 */
	public synchronized long pid() {
		return (this.process != null) ? this.process.pid() : -1;
	}

	/** @return the log file that receives the process's output */
	public Path logFile() {
		return this.logFile;
	}

	/** @return a one-line description naming the log file, for assertion messages */
	public String describe() {
		return this.description + " (log: " + this.logFile + ")";
	}

}
