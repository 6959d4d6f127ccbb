package dev.outbox.bench;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The evidence for a live run's tail: its slowest seconds of commit time, each with the GC pauses
 * of the processes on the path (the publisher, the broker, the consumer's harness) that could
 * have held its slowest event. An event committed in a second can be held by a pause from the
 * second's start until the second's end plus its worst latency, so that is the window searched. A
 * slow second with no pause in it was slowed by something else; the line says "no GC pause" rather
 * than guessing, and gives how long each process waited for a CPU in the same window
 * ({@link RunQueueWaits}), which tells a saturated machine from a process's own work.
 */
final class SlowSeconds {

	private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

	private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("ss.SSS").withZone(ZoneOffset.UTC);

	private SlowSeconds() {
	}

	/**
	 * @param total worst commit → receive latency per second
	 * @param toBroker worst commit → broker append latency per second
	 * @param pauses every process's GC pauses ({@link GcLog#pauses})
	 * @param waits how long each process waited for a CPU in a window ({@link RunQueueWaits#waited})
	 * @param count how many of the slowest seconds
	 * @return one line, e.g. {@code 19:44:15 180 ms (164 to broker): broker 30.7 ms at 16.723,
	 * waited for a CPU: relay 12 ms, broker 95 ms; 19:44:12 71 ms (64 to broker): no GC pause, ...}
	 */
	static String describe(WorstBySecond total, WorstBySecond toBroker, List<GcLog.Pause> pauses,
			BiFunction<Instant, Instant, String> waits, int count) {
		List<String> seconds = new ArrayList<>();
		for (WorstBySecond.Second second : total.slowest(count)) {
			Instant from = second.start();
			Instant to = from.plusSeconds(1).plus(Duration.ofNanos(second.worstMicros() * 1000));
			List<String> held = pauses.stream()
				.filter((pause) -> pause.overlaps(from, to))
				.sorted(Comparator.comparing(GcLog.Pause::start))
				.map((pause) -> String.format(Locale.ROOT, "%s %.1f ms at %s", pause.process(),
						pause.length().toNanos() / 1e6, MILLIS.format(pause.start())))
				.toList();
			String waited = waits.apply(from, to);
			seconds.add(String.format(Locale.ROOT, "%s %d ms (%d to broker): %s%s", CLOCK.format(from),
					second.worstMicros() / 1000, toBroker.worstMicrosAt(from) / 1000,
					held.isEmpty() ? "no GC pause" : String.join(", ", held),
					waited.isEmpty() ? "" : ", waited for a CPU: " + waited));
		}
		return String.join("; ", seconds);
	}

	/**
	 * @param pauses every process's GC pauses
	 * @param from the run's start
	 * @param to the run's end
	 * @return per process, how many pauses fell in the run and the longest, e.g. {@code broker 7
	 * (max 23.9 ms), relay 8 (max 4.6 ms), harness 1 (max 6.2 ms)}
	 */
	static String summary(Map<String, List<GcLog.Pause>> pauses, Instant from, Instant to) {
		List<String> parts = new ArrayList<>();
		pauses.forEach((process, all) -> {
			List<GcLog.Pause> in = all.stream().filter((pause) -> pause.overlaps(from, to)).toList();
			double max = in.stream().mapToLong((pause) -> pause.length().toNanos()).max().orElse(0) / 1e6;
			parts.add(String.format(Locale.ROOT, "%s %d (max %.1f ms)", process, in.size(), max));
		});
		return String.join(", ", parts);
	}

}
