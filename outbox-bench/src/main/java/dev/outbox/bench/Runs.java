package dev.outbox.bench;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What each part of a benchmark run measured, as handed to the report.
 */
public final class Runs {

	private Runs() {
	}

	/**
	 * (a), (c) and (f) for one write mode of the backlog and one transaction size.
	 * @param mode how the backlog was written, {@link WriteMode#TABLE} or {@link WriteMode#MESSAGE}
	 * @param eventsPerTransaction 1 or 10
	 * @param backlog the write of the backlog
	 * @param walBytes WAL written by the backlog
	 * @param decode (a), or {@code null} when not run
	 * @param drain (c)
	 * @param relayCpuSeconds relay CPU from its first record to its last
	 * @param relayCpuTotalSeconds relay CPU from JVM start to the last record
	 * @param walsenderCpuSeconds CPU of the walsender feeding the relay during the drain
	 * @param relayStartSeconds from launching the relay JVM to the first record received
	 * @param samples the relay's resources over time
	 * @param threadCpuSeconds the relay's CPU from its first record to its last, by thread name
	 * @param processCpuSeconds CPU of the relay, its walsender, the broker, the consumer, everything
	 * else and the whole machine over the same window
	 * @param decodeLoad machine load during (a)
	 * @param drainLoad machine load during (c)
	 */
	public record Drain(WriteMode mode, int eventsPerTransaction, OutboxWriter.Result backlog, long walBytes,
			PgRecvLogical.@Nullable Result decode, VerifyingConsumer.Result drain, double relayCpuSeconds,
			double relayCpuTotalSeconds, double walsenderCpuSeconds, double relayStartSeconds,
			List<ResourceSampler.Sample> samples, Map<String, Double> threadCpuSeconds,
			Map<String, Double> processCpuSeconds,
			MachineLoad.@Nullable Phase decodeLoad, MachineLoad.Phase drainLoad) {

		/** @return events per second of (a) */
		public double decodeRate() {
			return (this.decode != null) ? this.drain.expected() / this.decode.seconds() : 0;
		}

		/** @return {@code table-1}, {@code message-10}: the mode and the transaction size */
		public String key() {
			return this.mode.property() + "-" + this.eventsPerTransaction;
		}

		/** @return relay CPU seconds per 100,000 events, first record to last */
		public double cpuPer100k() {
			return this.relayCpuSeconds * 100_000 / Math.max(1, this.drain.received());
		}

		/** @return events per second of (c), first record to last */
		public double drainRate() {
			return this.drain.received() / this.drain.seconds();
		}

	}

	/**
	 * One fixed-rate run of (d).
	 * @param offered the offered rate, events per second
	 * @param write what the writers did
	 * @param consumed what the consumer received, with latencies
	 * @param sustained whether the writers kept the rate and the relay kept up
	 * @param limitedBy when not sustained, "writers" (they could not offer the rate) or "relay
	 * behind" (events still arrived two seconds after the writers stopped); empty otherwise
	 * @param load machine load during the run
	 * @param cpuSeconds CPU seconds of the relay, its walsender, the broker, the harness (writers
	 * and consumer), everything else (above all the writers' PostgreSQL backends) and the whole
	 * machine while the writers ran
	 * @param neighbour in the busy-machine variant, what the {@link BusyNeighbour} did during the
	 * run; {@code null} on the quiet machine
	 */
	public record Latency(double offered, OutboxWriter.Result write, VerifyingConsumer.Result consumed, boolean sustained,
			String limitedBy, MachineLoad.Phase load, Map<String, Double> cpuSeconds,
			BusyNeighbour.@Nullable Achieved neighbour) {

		/** @return whether the run had the busy neighbour */
		public boolean busy() {
			return this.neighbour != null;
		}

		/**
		 * Formats CPU seconds over a run as shares of one core: {@code relay 21 %, walsender 13 %, ...}.
		 * @param cpuSeconds CPU seconds by process
		 * @param seconds the run's length
		 * @return the shares, in the map's order
		 */
		public static String cpuShares(Map<String, Double> cpuSeconds, double seconds) {
			StringBuilder text = new StringBuilder();
			cpuSeconds.forEach((name, cpu) -> text.append((text.length() > 0) ? ", " : "")
				.append(name)
				.append(' ')
				.append(Math.round(100 * cpu / Math.max(seconds, 1e-9)))
				.append(" %"));
			return text.toString();
		}

	}

	/**
	 * One variant of (e) in the JPA application.
	 * @param variant the write mode and events per transaction
	 * @param tps median transactions per second over the rounds
	 * @param tpsRounds each round's figure, in run order
	 * @param walBytesPerTransaction WAL per transaction
	 * @param ofNone the median of the per-round ratios to no event (see {@link RoundRatios})
	 * @param jvmCpuPerTransaction the application JVM's CPU microseconds per transaction, the
	 * median of the rounds
	 * @param postgresCpuPerTransaction PostgreSQL's CPU microseconds per transaction, the median
	 * of the rounds ({@link PostgresCpu})
	 */
	public record WritePath(WritePathVariant variant, double tps, String tpsRounds, double walBytesPerTransaction,
			double ofNone, double jvmCpuPerTransaction, double postgresCpuPerTransaction) {
	}

	/**
	 * One variant of (e) run by pgbench: PostgreSQL's own share of the write path.
	 * @param variant the write mode and events per transaction
	 * @param tps median transactions per second over the rounds
	 * @param tpsRounds each round's figure, in run order
	 * @param ofNone the median of the per-round ratios to the order alone
	 * @param clientCpuPerTransaction pgbench's CPU microseconds per transaction, the median of the
	 * rounds
	 * @param postgresCpuPerTransaction PostgreSQL's CPU microseconds per transaction, the median
	 * of the rounds ({@link PostgresCpu})
	 */
	public record PostgresWritePath(WritePathVariant variant, double tps, String tpsRounds, double ofNone,
			double clientCpuPerTransaction, double postgresCpuPerTransaction) {
	}

}
