package dev.outbox.bench;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The harness's command line ({@code scripts/bench.sh} passes every option) and the sizes of a
 * full and a quick run.
 *
 * @param quick whether this is the one-minute run
 * @param pgUrl the server's maintenance database, as {@code scripts/pg-local.sh} exports it
 * @param pgBin PostgreSQL's bin directory ({@code pg_recvlogical})
 * @param postmasterPid the server's pid, for the machine-load figures
 * @param bootstrap Kafka
 * @param brokerPid the broker's pid
 * @param relayJar the relay's executable jar
 * @param migration {@code db/migration/V1__outbox_event.sql}
 * @param results where the table, JSON and plots go
 * @param work where logs and recordings go
 * @param events backlog size of (c), per transaction size (300,000 in a full run, so that the run with
 * both peers, which drain the table-mode backlogs too, stays under 15 minutes)
 * @param latencySeconds length of each fixed-rate run of (d), after its warm-up
 * @param latencyWarmupSeconds first seconds of each fixed-rate run of (d), at the same rate, whose
 * events are checked but not counted in the latency figures (the JIT compilers of the relay, the
 * broker and the harness are still busy with the new rate's code paths then)
 * @param jitWarmupSeconds extra warm-up of the first fixed-rate run of (d): the relay, the broker
 * and the harness meet small live transactions there for the first time, and the broker's and
 * the harness's C2 compilers took 30 % and 22 % of a core 15 s into it (seen with {@code top -H})
 * @param ladderSteps fixed-rate runs above 10,000 events/s looking for the highest sustained rate
 * @param busyRates the fixed rates of (d) that run again on a busy machine ({@link BusyNeighbour}),
 * for the relay and for the peers alike: 2,000 events/s by default, the rate the comparison's
 * targets name ({@code --busy-rates=2000,10000} adds 10,000, about 30 s more, where the benchmark
 * alone saturates the machine; {@code --busy=false} leaves the variant out)
 * @param writePathWarmup warm-up seconds of (e), per variant (seven: no event, and 1 and 10 events in
 * each of three write modes)
 * @param writePathSeconds seconds per round of (e)
 * @param writePathRounds rounds of (e)
 * @param producerRecords records of (b)
 * @param phases which of a, b, c, d, e to run (f runs with c)
 * @param jfr whether the relay records a flight recording into the work directory
 * @param relayJvmOptions extra JVM options of the relay
 * @param revision the source revision measured
 * @param peers the systems measured beside the relay over the same table-mode backlogs and live
 * rates ({@code --peers=debezium,debezium-tuned}, {@code --peers=none}); by default both Debezium
 * variants in a full run and none in a quick one
 * @param peerRates the fixed live rates the peers run, events per second, of the relay's 2,000 and
 * 10,000 ({@code --peer-rates=2000,10000}); 2,000 by default, as the run with 10,000 as well takes
 * about 1.5 minutes more than 15 minutes allow, and there on 2 cores the relay's own writers fall
 * short while Debezium, draining below 10,000 events/s, only shows how far behind it falls
 * @param debeziumLib the folder with Kafka Connect's and Debezium's jars that {@code scripts/bench.sh}
 * fetched ({@code outbox-bench/debezium/pom.xml})
 */
public record BenchOptions(boolean quick, String pgUrl, Path pgBin, long postmasterPid, String bootstrap, long brokerPid,
		Path relayJar, Path migration, Path results, Path work, long events, double latencySeconds,
		double latencyWarmupSeconds, double jitWarmupSeconds, int ladderSteps, List<Double> busyRates, double writePathWarmup,
		double writePathSeconds,
		int writePathRounds, long producerRecords, Set<String> phases, boolean jfr, List<String> relayJvmOptions,
		String revision, List<Peer> peers, List<Double> peerRates, Path debeziumLib) {

	/** Aggregates of the workload. */
	public static final int AGGREGATES = 1000;

	/** Writer threads (connections) of (c) and (d); divides {@link #AGGREGATES}. */
	public static final int WRITER_THREADS = 8;

	/** Partitions of every topic. */
	public static final int PARTITIONS = 3;

	/**
	 * Parses {@code --name=value} options.
	 * @param args the command line
	 * @return the options
	 */
	public static BenchOptions parse(String[] args) {
		Map<String, String> values = new HashMap<>();
		for (String arg : args) {
			if (!arg.startsWith("--")) {
				throw new IllegalArgumentException("unexpected argument " + arg);
			}
			int equals = arg.indexOf('=');
			values.put((equals < 0) ? arg.substring(2) : arg.substring(2, equals), (equals < 0) ? "true" : arg.substring(equals + 1));
		}
		boolean quick = Boolean.parseBoolean(values.getOrDefault("quick", "false"));
		Set<String> phases = new LinkedHashSet<>(List.of(values.getOrDefault("phases", "a,b,c,d,e").split(",")));
		String extra = values.getOrDefault("relay-jvm-options", "").trim();
		return new BenchOptions(quick, required(values, "pg-url"), Path.of(required(values, "pg-bin")),
				Long.parseLong(values.getOrDefault("postmaster-pid", "0")), required(values, "bootstrap"),
				Long.parseLong(values.getOrDefault("broker-pid", "0")), Path.of(required(values, "relay-jar")),
				Path.of(required(values, "migration")), Path.of(required(values, "results")),
				Path.of(required(values, "work")),
				Long.parseLong(values.getOrDefault("events", quick ? "60000" : "300000")),
				Double.parseDouble(values.getOrDefault("latency-seconds", quick ? "3" : "15")),
				Double.parseDouble(values.getOrDefault("latency-warmup-seconds", quick ? "3" : "10")),
				Double.parseDouble(values.getOrDefault("jit-warmup-seconds", quick ? "0" : "30")),
				Integer.parseInt(values.getOrDefault("ladder-steps", quick ? "1" : "4")),
				Boolean.parseBoolean(values.getOrDefault("busy", "true"))
						? rates("busy-rates", values.getOrDefault("busy-rates", "2000")) : List.of(),
				quick ? 2 : 8, quick ? 1.5 : 4,
				quick ? 2 : 5, Long.parseLong(values.getOrDefault("producer-records", "1000000")), phases,
				Boolean.parseBoolean(values.getOrDefault("jfr", "false")),
				extra.isEmpty() ? List.of() : List.of(extra.split("\\s+")), values.getOrDefault("revision", "unknown"),
				Peer.parse(values.getOrDefault("peers", quick ? "none" : "debezium,debezium-tuned")),
				rates("peer-rates", values.getOrDefault("peer-rates", "2000")),
				Path.of(values.getOrDefault("debezium-lib", "debezium-lib")));
	}

	/** The relay's fixed live rates of (d), events per second, which the peers may run too. */
	public static final List<Double> LIVE_RATES = List.of(2_000.0, 10_000.0);

	private static List<Double> rates(String option, String value) {
		List<Double> rates = new java.util.ArrayList<>();
		for (String rate : value.split(",")) {
			double parsed;
			try {
				parsed = Double.parseDouble(rate.trim());
			}
			catch (NumberFormatException ex) {
				parsed = -1;
			}
			if (!LIVE_RATES.contains(parsed)) {
				throw new IllegalArgumentException("--" + option + ": '" + rate.trim()
						+ "' is not one of the relay's live rates; use 2000, 10000 or 2000,10000");
			}
			rates.add(parsed);
		}
		return List.copyOf(rates);
	}

	private static String required(Map<String, String> values, String name) {
		String value = values.get(name);
		if (value == null || value.isBlank()) {
			throw new IllegalArgumentException("missing --" + name + "=...");
		}
		return value;
	}

	/** @return "quick" or "full" */
	public String mode() {
		return this.quick ? "quick" : "full";
	}

}
