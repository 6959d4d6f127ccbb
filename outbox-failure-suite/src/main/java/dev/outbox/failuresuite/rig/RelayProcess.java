package dev.outbox.failuresuite.rig;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.outbox.testsupport.JavaProcess;

import static org.awaitility.Awaitility.await;

/**
 * The real relay, run from its executable jar in a child JVM (so that it can be killed with
 * SIGKILL), with its HTTP port fixed for the life of this object: its health stays at the same
 * URL across restarts, as a monitor would poll it.
 */
public final class RelayProcess {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final String name;

	private final JavaProcess process;

	private final int port;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

	/**
	 * Prepares (does not start) a relay.
	 * @param name readable name, for its log file
	 * @param jar the relay's executable jar
	 * @param port its HTTP port
	 * @param properties its settings, {@code key=value}
	 * @param logDirectory where its log goes
	 */
	public RelayProcess(String name, Path jar, int port, List<String> properties, Path logDirectory) {
		this(name, jar, port, properties, logDirectory, RelayLaunch.SHIPPED);
	}

	/**
	 * Prepares (does not start) a relay, the shipped one or a lab-only variant run inside its jar.
	 * @param name readable name, for its log file
	 * @param jar the relay's executable jar
	 * @param port its HTTP port
	 * @param properties its settings, {@code key=value}
	 * @param logDirectory where its log goes
	 * @param launch how its JVM starts
	 */
	public RelayProcess(String name, Path jar, int port, List<String> properties, Path logDirectory,
			RelayLaunch launch) {
		this.name = name;
		this.port = port;
		List<String> arguments = new ArrayList<>();
		for (String property : properties) {
			arguments.add("--" + property);
		}
		arguments.add("--server.port=" + port);
		// The suite reads the health details (state, reason, retained WAL); the relay hides them by default.
		arguments.add("--management.endpoint.health.show-details=always");
		List<String> jvmOptions = new ArrayList<>(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
				"-Xshare:auto"));
		jvmOptions.addAll(launch.jvmOptions());
		this.process = new JavaProcess("relay " + name, jar.toString(), jvmOptions, launch.mainClass(), arguments,
				logDirectory.resolve(name + ".log"));
	}

	/** @return the relay's name */
	public String name() {
		return this.name;
	}

	/** Starts the JVM; returns at once (see {@link #awaitStreaming}). */
	public void start() {
		this.process.start();
	}

	/** Kills the JVM with SIGKILL and waits for it to be gone. */
	public void kill() {
		this.process.kill();
	}

	/**
	 * Stops the JVM with SIGTERM (a graceful shutdown) and waits for it.
	 * @return the exit code, or -1 if it had to be killed after 60 seconds
	 */
	public int stop() {
		return this.process.stop(Duration.ofSeconds(60));
	}

	/**
	 * Freezes the JVM with SIGSTOP, as a hung process, a VM pause or a frozen container would: it
	 * keeps its sockets and state, and does nothing, not even answer health, until {@link #thaw()}.
	 */
	public void freeze() {
		signal("STOP");
	}

	/** Resumes a frozen JVM with SIGCONT. */
	public void thaw() {
		signal("CONT");
	}

	private void signal(String signal) {
		long pid = this.process.pid();
		if (pid < 0 || !isAlive()) {
			throw new IllegalStateException("relay " + this.name + " does not run");
		}
		try {
			Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).inheritIO().start();
			if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
				throw new IllegalStateException("kill -" + signal + " " + pid + " failed");
			}
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while signalling relay " + this.name, ex);
		}
	}

	/** @return whether the JVM runs */
	public boolean isAlive() {
		return this.process.isAlive();
	}

	/** @return how many times the log says the relay began to stream its slot */
	public long streamingSessions() {
		try (Stream<String> lines = Files.lines(this.process.logFile())) {
			return lines.filter((line) -> line.contains("Streaming slot")).count();
		}
		catch (IOException | java.io.UncheckedIOException ex) {
			return 0;
		}
	}

	/**
	 * Finds when the relay first logged a line containing {@code text} at or after {@code after}.
	 * @param after the earliest time of interest
	 * @param text what the line contains
	 * @return the line's timestamp, if there is such a line
	 */
	public Optional<Instant> firstLogged(Instant after, String text) {
		try (Stream<String> lines = Files.lines(this.process.logFile())) {
			return lines.filter((line) -> line.contains(text))
				.map(RelayProcess::timestamp)
				.flatMap(Optional::stream)
				.filter((at) -> !at.isBefore(after))
				.findFirst();
		}
		catch (IOException | java.io.UncheckedIOException ex) {
			return Optional.empty();
		}
	}

	private static Optional<Instant> timestamp(String line) {
		int end = line.indexOf(' ');
		try {
			return (end > 0) ? Optional.of(Instant.parse(line.substring(0, end))) : Optional.empty();
		}
		catch (DateTimeParseException ex) {
			return Optional.empty();
		}
	}

	/**
	 * Waits until the log says the relay streams its slot once more than {@code sessionsBefore}.
	 * @param sessionsBefore {@link #streamingSessions()} before the start
	 * @param timeout how long it may take
	 */
	public void awaitStreaming(long sessionsBefore, Duration timeout) {
		await("relay " + this.name + " streaming").atMost(timeout).pollInterval(Duration.ofMillis(100)).until(() -> {
			if (!isAlive()) {
				throw new AssertionError("relay exited: " + describe());
			}
			return streamingSessions() > sessionsBefore;
		});
	}

	/**
	 * Reads {@code /actuator/health} once.
	 * @return the health, or {@code null} when the relay does not answer within two seconds
	 */
	public @Nullable Health health() {
		try {
			return parse(this.http.send(healthRequest(Duration.ofSeconds(2)), HttpResponse.BodyHandlers.ofString()));
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

	/**
	 * Sends one health request without waiting for the answer, as a monitor with a patient
	 * timeout (one minute) would: the probe tells when, and whether, the relay answered.
	 * @return the probe
	 */
	public HealthProbe probeHealth() {
		long sent = System.nanoTime();
		CompletableFuture<String> answer = this.http
			.sendAsync(healthRequest(Duration.ofMinutes(1)), HttpResponse.BodyHandlers.ofString())
			.handle((response, error) -> {
				String after = String.format(Locale.ROOT, "%.1fs", (System.nanoTime() - sent) / 1e9);
				if (error != null) {
					return "no answer (" + error.getClass().getSimpleName() + " after " + after + ")";
				}
				Health health = parse(response);
				return (health != null) ? health.status() + " (" + health.state() + ") after " + after
						: "HTTP " + response.statusCode() + " after " + after;
			});
		return new HealthProbe(answer);
	}

	private HttpRequest healthRequest(Duration timeout) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/actuator/health"))
			.timeout(timeout)
			.build();
	}

	private static @Nullable Health parse(HttpResponse<String> response) {
		try {
			JsonNode relay = JSON.readTree(response.body()).path("components").path("outboxRelay");
			if (relay.isMissingNode()) {
				return null;
			}
			JsonNode details = relay.path("details");
			return new Health(relay.path("status").asString(""), details.path("state").asString(""),
					details.path("reason").asString(""), details.path("retainedWalBytes").asLong(-1));
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	/** @return a description naming the log file */
	public String describe() {
		return this.process.describe();
	}

	@Override
	public String toString() {
		return "relay " + this.name + " on :" + this.port;
	}

	/**
	 * A health request in flight.
	 *
	 * @param answer what it answered and after how long, once it has
	 */
	public record HealthProbe(CompletableFuture<String> answer) {

		/**
		 * Waits for the answer.
		 * @return the status and state and the time the relay took, or why it did not answer
		 */
		public String await() {
			return this.answer.orTimeout(2, TimeUnit.MINUTES).exceptionally((ex) -> "no answer: " + ex).join();
		}

	}

	/**
	 * The {@code outboxRelay} health component.
	 *
	 * @param status {@code UP}, {@code WARNING} or {@code DOWN}
	 * @param state the pipeline state ({@code streaming}, {@code standby}, ...)
	 * @param reason why it is DOWN, or empty
	 * @param retainedWalBytes WAL the slot retains, or -1
	 */
	public record Health(String status, String state, String reason, long retainedWalBytes) {

		/** @return whether the status is DOWN */
		public boolean isDown() {
			return "DOWN".equals(this.status);
		}

	}

}
