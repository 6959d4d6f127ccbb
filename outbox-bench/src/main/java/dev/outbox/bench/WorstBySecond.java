package dev.outbox.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The worst latency of each second of commit time in a live run: where a run's tail comes from (a
 * start-up stall, a pause, a steady load), to line up with the GC logs of the processes involved.
 * Only the consumer's thread records; read the figures after the run.
 */
final class WorstBySecond {

	private final long[] worstMicros = new long[3600];

	private long firstCommitMicros = -1;

	/**
	 * Records one event.
	 * @param commitMicros when its transaction committed, microseconds since the epoch
	 * @param latencyMicros its latency
	 */
	void record(long commitMicros, long latencyMicros) {
		if (this.firstCommitMicros < 0) {
			this.firstCommitMicros = commitMicros;
		}
		// Whole UTC seconds, not seconds from the first commit: a figure covers exactly the second
		// it is labelled with, the way the GC logs' time stamps are read against it.
		int second = (int) Math.min(this.worstMicros.length - 1,
				Math.max(0, commitMicros / 1_000_000 - this.firstCommitMicros / 1_000_000));
		this.worstMicros[second] = Math.max(this.worstMicros[second], latencyMicros);
	}

	/** @return the UTC second the first figure belongs to, or {@code null} before any event */
	@Nullable Instant first() {
		return (this.firstCommitMicros < 0) ? null : Instant.ofEpochSecond(this.firstCommitMicros / 1_000_000);
	}

	/** @return milliseconds, one figure per second from {@link #first()} on, separated by spaces */
	String millis() {
		StringBuilder text = new StringBuilder();
		for (int second = 0; second <= last(); second++) {
			text.append((second > 0) ? " " : "").append(this.worstMicros[second] / 1000);
		}
		return text.toString();
	}

	/**
	 * @param count how many
	 * @return the slowest seconds, slowest first
	 */
	List<Second> slowest(int count) {
		Instant first = first();
		List<Second> seconds = new ArrayList<>();
		if (first == null) {
			return seconds;
		}
		for (int second = 0; second <= last(); second++) {
			seconds.add(new Second(first.plusSeconds(second), this.worstMicros[second]));
		}
		seconds.sort(Comparator.comparingLong(Second::worstMicros).reversed());
		return seconds.subList(0, Math.min(count, seconds.size()));
	}

	/**
	 * @param start a second's start, as {@link #slowest} gives it
	 * @return the worst latency of the events committed in that second, 0 for none
	 */
	long worstMicrosAt(Instant start) {
		Instant first = first();
		if (first == null) {
			return 0;
		}
		long index = start.getEpochSecond() - first.getEpochSecond();
		return (index < 0 || index >= this.worstMicros.length) ? 0 : this.worstMicros[(int) index];
	}

	private int last() {
		int last = this.worstMicros.length - 1;
		while (last > 0 && this.worstMicros[last] == 0) {
			last--;
		}
		return last;
	}

	/**
	 * One second of commit time.
	 * @param start its first instant, a whole UTC second
	 * @param worstMicros the worst latency of the events committed in it
	 */
	record Second(Instant start, long worstMicros) {
	}

}
