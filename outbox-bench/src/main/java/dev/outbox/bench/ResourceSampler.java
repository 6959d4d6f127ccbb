package dev.outbox.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * (f) Samples one JVM every {@value #INTERVAL_MILLIS} ms: heap from {@code jstat -gc} (which
 * reads the target's perf-data file and costs it nothing), RSS and CPU time from {@code /proc},
 * and a progress counter (events received by the consumer).
 */
public final class ResourceSampler implements AutoCloseable {

	static final int INTERVAL_MILLIS = 250;

	private final long pid;

	private final LongSupplier progress;

	private final long startNanos = System.nanoTime();

	private final List<Sample> samples = new ArrayList<>();

	private final Thread thread;

	private volatile Process jstat;

	private volatile double[] gc = new double[7];

	private volatile boolean running = true;

	/**
	 * Starts sampling.
	 * @param pid the JVM
	 * @param progress read at every sample
	 * @throws IOException when jstat cannot start
	 */
	public ResourceSampler(long pid, LongSupplier progress) throws IOException {
		this.pid = pid;
		this.progress = progress;
		this.jstat = startJstat();
		Thread reader = new Thread(this::readJstat, "bench-jstat-" + pid);
		reader.setDaemon(true);
		reader.start();
		this.thread = new Thread(this::run, "bench-sampler-" + pid);
		this.thread.setDaemon(true);
		this.thread.start();
	}

	private Process startJstat() throws IOException {
		return new ProcessBuilder("jstat", "-gc", Long.toString(this.pid), Integer.toString(INTERVAL_MILLIS))
			.redirectErrorStream(true)
			.start();
	}

	/**
	 * Follows jstat's output. A jstat attached while the target JVM is still starting (with a
	 * flight recording, at least) can report collections but a GC time that stays zero: it is then
	 * started again, once.
	 */
	private void readJstat() {
		for (int attempt = 0; attempt < 2 && this.running; attempt++) {
			boolean stale = false;
			try (BufferedReader lines = new BufferedReader(
					new InputStreamReader(this.jstat.getInputStream(), StandardCharsets.US_ASCII))) {
				String[] header = null;
				String line;
				while (!stale && (line = lines.readLine()) != null) {
					String[] fields = line.trim().split("\\s+");
					if (fields.length > 0 && fields[0].equals("S0C")) {
						header = fields;
					}
					else if (header != null && fields.length == header.length) {
						double[] parsed = parseGc(header, fields);
						stale = attempt == 0 && parsed[3] + parsed[4] > 0 && parsed[5] == 0;
						this.gc = stale ? this.gc : parsed;
					}
				}
			}
			catch (IOException | RuntimeException ex) {
				return; // the JVM is gone
			}
			if (!stale) {
				return;
			}
			this.jstat.destroy();
			try {
				this.jstat = startJstat();
			}
			catch (IOException ex) {
				return;
			}
		}
	}

	/**
	 * Reads one {@code jstat -gc} line.
	 * @return heap used MB, old used MB, heap committed MB, young GCs, full GCs, GC seconds, concurrent GCs
	 */
	static double[] parseGc(String[] header, String[] fields) {
		double s0u = column(header, fields, "S0U");
		double s1u = column(header, fields, "S1U");
		double eu = column(header, fields, "EU");
		double ou = column(header, fields, "OU");
		double committed = column(header, fields, "S0C") + column(header, fields, "S1C") + column(header, fields, "EC")
				+ column(header, fields, "OC");
		return new double[] { (s0u + s1u + eu + ou) / 1024, ou / 1024, committed / 1024, column(header, fields, "YGC"),
				column(header, fields, "FGC"), column(header, fields, "GCT"), column(header, fields, "CGC") };
	}

	private static double column(String[] header, String[] fields, String name) {
		for (int i = 0; i < header.length; i++) {
			if (header[i].equals(name)) {
				return fields[i].equals("-") ? 0 : Double.parseDouble(fields[i]);
			}
		}
		return 0;
	}

	private void run() {
		while (this.running) {
			double[] gc = this.gc;
			double cpu = ProcFs.cpuSeconds(this.pid);
			long rss = ProcFs.rssBytes(this.pid);
			if (cpu < 0) {
				return;
			}
			synchronized (this.samples) {
				this.samples.add(new Sample((System.nanoTime() - this.startNanos) / 1e9, System.nanoTime(), gc[0], gc[1],
						gc[2], rss / 1048576.0, cpu, (long) gc[3], (long) gc[4], gc[5], (long) gc[6],
						this.progress.getAsLong()));
			}
			try {
				Thread.sleep(INTERVAL_MILLIS);
			}
			catch (InterruptedException ex) {
				return;
			}
		}
	}

	/** @return the samples so far */
	public List<Sample> samples() {
		synchronized (this.samples) {
			return new ArrayList<>(this.samples);
		}
	}

	/**
	 * Returns the process's CPU time at an instant, interpolated between the samples around it.
	 * @param samples samples in time order
	 * @param nanos the instant ({@link System#nanoTime()})
	 * @return CPU seconds, or -1 without samples
	 */
	public static double cpuAt(List<Sample> samples, long nanos) {
		Sample before = null;
		for (Sample sample : samples) {
			if (sample.nanos() >= nanos) {
				if (before == null) {
					return sample.cpuSeconds();
				}
				double fraction = (nanos - before.nanos()) / (double) (sample.nanos() - before.nanos());
				return before.cpuSeconds() + fraction * (sample.cpuSeconds() - before.cpuSeconds());
			}
			before = sample;
		}
		return (before != null) ? before.cpuSeconds() : -1;
	}

	/** @return the latest sample, or {@code null} */
	public Sample latest() {
		synchronized (this.samples) {
			return this.samples.isEmpty() ? null : this.samples.get(this.samples.size() - 1);
		}
	}

	@Override
	public void close() throws InterruptedException {
		this.running = false;
		this.thread.interrupt();
		this.thread.join(2000);
		this.jstat.destroy();
	}

	/**
	 * One sample.
	 * @param seconds since sampling started
	 * @param nanos {@link System#nanoTime()} of the sample
	 * @param heapUsedMb heap in use
	 * @param oldUsedMb old generation in use
	 * @param heapCommittedMb heap committed
	 * @param rssMb resident set size
	 * @param cpuSeconds the process's CPU time so far
	 * @param youngGcs young collections so far
	 * @param fullGcs full collections so far
	 * @param gcSeconds time in GC pauses so far
	 * @param concurrentGcs concurrent cycles so far
	 * @param events the progress counter
	 */
	public record Sample(double seconds, long nanos, double heapUsedMb, double oldUsedMb, double heapCommittedMb,
			double rssMb, double cpuSeconds, long youngGcs, long fullGcs, double gcSeconds, long concurrentGcs,
			long events) {
	}

}
