package dev.outbox.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Samples, four times a second while a live run lasts, how long each process on a live event's
 * path has waited for a CPU ({@link ProcFs#runQueueWaitNanos}, summed over its threads, so that
 * several threads waiting at once count several times), so that a slow second can be read against
 * the run's average: a second in which the publisher or the broker waited far longer than usual
 * was slowed by a saturated machine, not by the process's own work. The reads cost
 * one small file per thread per sample, about 200 per sample for the publisher, broker and harness.
 */
final class RunQueueWaits implements AutoCloseable {

	private static final long PERIOD_MILLIS = 250;

	private final Map<String, Long> pids;

	private final List<Sample> samples = new ArrayList<>();

	private final Thread thread;

	private volatile boolean running = true;

	/** Whether {@link #close()} ran: a second call must not take another sample. */
	private boolean closed;

	/**
	 * Starts sampling.
	 * @param pids the processes by their names in the report; a pid of 0 or less is left out
	 */
	RunQueueWaits(Map<String, Long> pids) {
		this.pids = new LinkedHashMap<>();
		pids.forEach((name, pid) -> {
			if (pid > 0) {
				this.pids.put(name, pid);
			}
		});
		this.thread = new Thread(this::run, "bench-run-queue-waits");
		this.thread.setDaemon(true);
		sample();
		this.thread.start();
	}

	private void run() {
		while (this.running) {
			try {
				Thread.sleep(PERIOD_MILLIS); // a sampling period, not a wait for a condition
			}
			catch (InterruptedException ex) {
				return;
			}
			sample();
		}
	}

	private void sample() {
		Map<String, Long> waited = new LinkedHashMap<>();
		this.pids.forEach((name, pid) -> waited.put(name, ProcFs.runQueueWaitNanos(pid)));
		synchronized (this.samples) {
			this.samples.add(new Sample(Instant.now(), waited));
		}
	}

	/**
	 * @param from the window's start
	 * @param to the window's end
	 * @return how long each process waited for a CPU between the last sample at or before
	 * {@code from} and the first at or after {@code to} (a window up to half a second wider; at the
	 * run's ends, the samples nearest inside it), e.g. {@code relay 41 ms, broker 120 ms}; empty
	 * when fewer than two samples bound it
	 */
	String waited(Instant from, Instant to) {
		return describe(from, to, false);
	}

	/**
	 * @param from the run's start
	 * @param to the run's end
	 * @return how long each process waited for a CPU per second of the run, on average, to read the
	 * slow seconds' {@link #waited} against
	 */
	String waitedPerSecond(Instant from, Instant to) {
		return describe(from, to, true);
	}

	private String describe(Instant from, Instant to, boolean perSecond) {
		List<Sample> all;
		synchronized (this.samples) {
			all = List.copyOf(this.samples);
		}
		if (all.size() < 2) {
			return "";
		}
		Sample first = all.get(0); // the last at or before from, else the earliest
		for (Sample sample : all) {
			if (!sample.at().isAfter(from)) {
				first = sample;
			}
		}
		Sample last = all.get(all.size() - 1); // the first at or after to, else the latest
		for (int i = all.size() - 1; i >= 0; i--) {
			if (!all.get(i).at().isBefore(to)) {
				last = all.get(i);
			}
		}
		if (last == first || last.at().isBefore(first.at())) {
			return "";
		}
		double seconds = perSecond ? Math.max(1e-3, Duration.between(first.at(), last.at()).toNanos() / 1e9) : 1;
		List<String> parts = new ArrayList<>();
		for (String name : this.pids.keySet()) {
			long before = first.waitedNanos().getOrDefault(name, -1L);
			long after = last.waitedNanos().getOrDefault(name, -1L);
			if (before >= 0 && after >= before) {
				parts.add(String.format(Locale.ROOT, "%s %.0f ms", name, (after - before) / 1e6 / seconds));
			}
		}
		return String.join(", ", parts);
	}

	@Override
	public void close() throws InterruptedException {
		if (this.closed) {
			return;
		}
		this.closed = true;
		this.running = false;
		this.thread.interrupt();
		this.thread.join();
		sample();
	}

	private record Sample(Instant at, Map<String, Long> waitedNanos) {
	}

}
