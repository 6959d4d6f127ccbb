package dev.outbox.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The stop-the-world pauses in a JVM's GC log, as {@code -Xlog:gc:file=<file>:time} writes them
 * ({@link Publisher#gcLogOption(Path)}, and the broker's and the harness's options in
 * {@code scripts/bench.sh}): one line per pause, stamped with the wall-clock time it was logged,
 * which is when the pause ended, e.g.
 * {@code [2026-12-06T19:44:13.329+0000] GC(31) Pause Young (Normal) (G1 Evacuation Pause) 215M->170M(1024M) 54.141ms}.
 * Files the JVM rotated away at its start ({@code <file>.0}, ...) are read too: the time window
 * asked for picks the pauses that matter.
 */
final class GcLog {

	private static final Pattern PAUSE = Pattern.compile("^\\[([^\\]]+)\\] GC\\(\\d+\\) (Pause .*?) (\\d+(?:\\.\\d+)?)ms$");

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");

	private GcLog() {
	}

	/**
	 * Reads the pauses of one process.
	 * @param process its name in the report ({@code broker}, {@code relay}, ...)
	 * @param file its GC log; a file that does not exist has no pauses
	 * @return its pauses, in the order logged
	 */
	static List<Pause> pauses(String process, Path file) {
		List<Pause> pauses = new ArrayList<>();
		Path folder = file.toAbsolutePath().getParent();
		String name = file.getFileName().toString();
		if (folder == null || !Files.isDirectory(folder)) {
			return pauses;
		}
		try (Stream<Path> files = Files.list(folder)) {
			for (Path each : files.filter((f) -> f.getFileName().toString().startsWith(name)).sorted().toList()) {
				for (String line : Files.readAllLines(each)) {
					Pause pause = parse(process, line);
					if (pause != null) {
						pauses.add(pause);
					}
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot read the GC log " + file, ex);
		}
		return pauses;
	}

	/**
	 * @param process the process's name
	 * @param line one line of its GC log
	 * @return the pause the line logs, or {@code null} for any other line
	 */
	static Pause parse(String process, String line) {
		Matcher matcher = PAUSE.matcher(line.trim());
		if (!matcher.matches()) {
			return null;
		}
		Instant end = OffsetDateTime.parse(matcher.group(1), TIME).toInstant();
		Duration length = Duration.ofNanos(Math.round(Double.parseDouble(matcher.group(3)) * 1e6));
		return new Pause(process, matcher.group(2), end.minus(length), length);
	}

	/**
	 * One stop-the-world pause.
	 * @param process the process that paused
	 * @param kind what the log calls it ({@code Pause Young (Normal) (G1 Evacuation Pause) 215M->170M(1024M)})
	 * @param start when it began: the logged time less its length
	 * @param length how long every thread of the process stood still
	 */
	record Pause(String process, String kind, Instant start, Duration length) {

		/** @return when it ended, the time the log line carries */
		Instant end() {
			return this.start.plus(this.length);
		}

		/**
		 * @param from the window's start
		 * @param to the window's end
		 * @return whether any part of the pause lies in the window
		 */
		boolean overlaps(Instant from, Instant to) {
			return this.start.isBefore(to) && end().isAfter(from);
		}

	}

}
