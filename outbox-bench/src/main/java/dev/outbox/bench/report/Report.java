package dev.outbox.bench.report;

import java.awt.Color;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import dev.outbox.bench.BenchOptions;
import dev.outbox.bench.EventPayload;
import dev.outbox.bench.MachineLoad;
import dev.outbox.bench.Peer;
import dev.outbox.bench.Percentiles;
import dev.outbox.bench.ProcFs;
import dev.outbox.bench.ProducerPerf;
import dev.outbox.bench.ResourceSampler;
import dev.outbox.bench.Runs;
import dev.outbox.bench.TableActivity;
import dev.outbox.bench.Topics;
import dev.outbox.bench.WriteMode;
import dev.outbox.bench.WritePathVariant;

/**
 * Collects what a run measured and writes it under {@code bench/results/}: {@code <mode>.txt}
 * (the table, also printed), {@code <mode>.json}, {@code <mode>-latency.png} (latency
 * percentiles against offered rate, drain rates marked) and {@code <mode>-relay-s1.png} /
 * {@code -s10.png} (the relay's heap and RSS over time). Ratios and targets are computed here,
 * from the section 2 and 3.
 */
public final class Report {

	private final BenchOptions options;

	private final String postgresVersion;

	private final Instant started;

	private final String loadAtStart = ProcFs.read("/proc/loadavg", "?");

	private @Nullable Instant finished;

	private MachineLoad.@Nullable Phase overall;

	private ProducerPerf.@Nullable Result producer;

	private MachineLoad.@Nullable Phase producerLoad;

	private final Map<String, Runs.Drain> drains = new LinkedHashMap<>();

	private final List<Runs.Latency> latencies = new ArrayList<>();

	private List<ResourceSampler.Sample> relayS1Samples = List.of();

	private List<Runs.WritePath> writePath = List.of();

	private List<Runs.PostgresWritePath> postgresWritePath = List.of();

	private Map<WriteMode, TableActivity> writePathTables = Map.of();

	private Map<WriteMode, Long> writePathEvents = Map.of();

	private MachineLoad.@Nullable Phase writePathLoad;

	private final PeerComparison peers = new PeerComparison();

	private final PeerComparison busyPeers = new PeerComparison(
			"Peers on the busy machine (pgbench neighbour, 2 clients at 500 tx/s): the same live rates; (x) is relay / peer");

	/**
	 * @param options the run's options
	 * @param postgresVersion the server's version
	 * @param started when the run started
	 */
	public Report(BenchOptions options, String postgresVersion, Instant started) {
		this.options = options;
		this.postgresVersion = postgresVersion;
		this.started = started;
	}

	public void producer(ProducerPerf.Result result, MachineLoad.Phase load) {
		this.producer = result;
		this.producerLoad = load;
	}

	public void drain(Runs.Drain run) {
		this.drains.put(run.key(), run);
	}

	public void latency(Runs.Latency run) {
		this.latencies.add(run);
	}

	/**
	 * The 1-event relay's samples over the drain and the latency runs.
	 * @param samples all of them
	 */
	public void relaySamples(List<ResourceSampler.Sample> samples) {
		this.relayS1Samples = samples;
	}

	/**
	 * (e).
	 * @param variants the JPA application's variants
	 * @param postgres pgbench's variants
	 * @param tables the outbox tables' activity by mode (no entry for message mode: no row)
	 * @param events events each mode wrote in the JPA application, warm-up included
	 * @param load machine load during (e)
	 */
	public void writePath(List<Runs.WritePath> variants, List<Runs.PostgresWritePath> postgres,
			Map<WriteMode, TableActivity> tables, Map<WriteMode, Long> events, MachineLoad.Phase load) {
		this.writePath = variants;
		this.postgresWritePath = postgres;
		this.writePathTables = tables;
		this.writePathEvents = events;
		this.writePathLoad = load;
	}

	/** @return the relay beside its peers, filled as they are measured */
	public PeerComparison peers() {
		return this.peers;
	}

	/** @return the relay beside its peers on the busy machine ({@link dev.outbox.bench.BusyNeighbour}) */
	public PeerComparison busyPeers() {
		return this.busyPeers;
	}

	public void finish(Instant at, MachineLoad.Phase load) {
		this.finished = at;
		this.overall = load;
	}

	/**
	 * Writes the table (and prints it), the JSON and the plots.
	 * @param directory {@code bench/results}
	 * @throws Exception when a file cannot be written
	 */
	public void write(Path directory) throws Exception {
		Files.createDirectories(directory);
		String mode = this.options.mode();
		try (var previous = Files.list(directory)) { // a figure this run did not make must not linger
			for (Path file : previous.filter((file) -> file.getFileName().toString().startsWith(mode)).toList()) {
				Files.delete(file);
			}
		}
		String table = table();
		System.out.println();
		System.out.print(table);
		Files.writeString(directory.resolve(mode + ".txt"), table, StandardCharsets.UTF_8);
		JsonMapper json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
		Files.writeString(directory.resolve(mode + ".json"), json.writeValueAsString(document()) + "\n",
				StandardCharsets.UTF_8);
		if (!this.latencies.isEmpty()) {
			latencyChart().write(directory.resolve(mode + "-latency.png"));
		}
		for (Runs.Drain drain : this.drains.values()) {
			boolean tableMode = drain.mode() == WriteMode.TABLE;
			List<ResourceSampler.Sample> samples = (tableMode && drain.eventsPerTransaction() == 1
					&& !this.relayS1Samples.isEmpty()) ? this.relayS1Samples : drain.samples();
			resourceChart(drain, samples).write(directory.resolve(mode + "-relay-" + (tableMode ? "" : "message-") + "s"
					+ drain.eventsPerTransaction() + ".png"));
		}
		System.out.println("bench: results in " + directory.toAbsolutePath() + "/" + mode + ".{txt,json,*.png}");
	}

	// ---- figures derived for section 2 and 3

	private double ceiling(Runs.Drain drain) {
		double decode = drain.decodeRate();
		double produce = (this.producer != null) ? this.producer.recordsPerSecond() : 0;
		if (decode > 0 && produce > 0) {
			return Math.min(decode, produce);
		}
		return Math.max(decode, produce);
	}

	private static double cpuPer100k(Runs.Drain drain) {
		return drain.cpuPer100k();
	}

	private Runs.@Nullable Latency latencyAt(double rate, boolean busy) {
		for (Runs.Latency run : this.latencies) {
			if (run.offered() == rate && run.busy() == busy) {
				return run;
			}
		}
		return null;
	}

	private double highestSustained() {
		double highest = 0;
		for (Runs.Latency run : this.latencies) {
			if (run.sustained() && !run.busy()) {
				highest = Math.max(highest, run.offered());
			}
		}
		return highest;
	}

	private @Nullable Double walPerEvent(Runs.WritePath variant) {
		return WritePathTable.walPerEvent(variant, ModeTargets.starter(this.writePath, WritePathVariant.NONE));
	}

	/** Heap figures of the drain window: max heap, max old gen, max RSS, young and full GCs, GC seconds. */
	private static double[] heap(Runs.Drain drain) {
		ResourceSampler.Sample first = null;
		ResourceSampler.Sample last = null;
		double heapMax = 0;
		double oldMax = 0;
		double rssMax = 0;
		double oldFirstHalf = 0;
		double oldSecondHalf = 0;
		long mid = drain.drain().firstNanos() + (drain.drain().lastNanos() - drain.drain().firstNanos()) / 2;
		for (ResourceSampler.Sample sample : drain.samples()) {
			if (sample.nanos() < drain.drain().firstNanos() || sample.nanos() > drain.drain().lastNanos()) {
				continue;
			}
			first = (first != null) ? first : sample;
			last = sample;
			heapMax = Math.max(heapMax, sample.heapUsedMb());
			oldMax = Math.max(oldMax, sample.oldUsedMb());
			rssMax = Math.max(rssMax, sample.rssMb());
			if (sample.nanos() < mid) {
				oldFirstHalf = Math.max(oldFirstHalf, sample.oldUsedMb());
			}
			else {
				oldSecondHalf = Math.max(oldSecondHalf, sample.oldUsedMb());
			}
		}
		if (first == null) {
			return new double[8];
		}
		return new double[] { heapMax, oldMax, rssMax, last.youngGcs() - first.youngGcs(),
				last.fullGcs() - first.fullGcs(), last.gcSeconds() - first.gcSeconds(), oldFirstHalf, oldSecondHalf };
	}

	private static boolean flatHeap(double[] heap) {
		return heap[4] == 0 && heap[7] <= heap[6] * 1.25 + 16;
	}

	private List<Target> targets() {
		List<Target> targets = new ArrayList<>();
		for (Runs.Drain drain : this.drains.values()) {
			String size = drain.mode().property() + ", " + drain.eventsPerTransaction() + " event"
					+ ((drain.eventsPerTransaction() > 1) ? "s" : "") + "/tx";
			double ceiling = ceiling(drain);
			if (ceiling > 0) {
				double ratio = drain.drainRate() / ceiling;
				targets.add(new Target("relay drain >= 70 % of min(a, b), " + size, percent(ratio), ratio >= 0.70));
			}
			double cpu = cpuPer100k(drain);
			targets.add(new Target("relay CPU <= 1.5 CPU-s per 100,000 events, " + size,
					String.format(Locale.ROOT, "%.2f", cpu), cpu <= 1.5));
			double[] heap = heap(drain);
			targets.add(new Target("-Xmx256m: flat heap, no full GC during the drain, " + size,
					String.format(Locale.ROOT, "old gen max %.0f then %.0f MB, %d full GCs", heap[6], heap[7], (long) heap[4]),
					flatHeap(heap)));
		}
		Runs.Latency at2k = latencyAt(2_000, false);
		if (at2k != null) {
			double p99 = at2k.consumed().latencyMicros().percentile(99) / 1e3;
			double p50 = at2k.consumed().latencyMicros().percentile(50) / 1e3;
			targets.add(new Target("p99 commit -> consume <= 20 ms at 2,000 events/s", ms(p99), p99 <= 20));
			targets.add(new Target("p50 commit -> consume <= 5 ms at 2,000 events/s", ms(p50), p50 <= 5));
		}
		Runs.Latency busy2k = latencyAt(2_000, true);
		if (busy2k != null) {
			double p50 = busy2k.consumed().latencyMicros().percentile(50) / 1e3;
			targets.add(new Target("p50 commit -> consume <= 5 ms at 2,000 events/s, busy machine", ms(p50), p50 <= 5));
		}
		Runs.Latency at10k = latencyAt(10_000, false);
		if (at10k != null) {
			double p99 = at10k.consumed().latencyMicros().percentile(99) / 1e3;
			targets.add(new Target("p99 commit -> consume <= 50 ms at 10,000 events/s", ms(p99), p99 <= 50));
		}
		for (Runs.Drain drain : this.drains.values()) {
			if (drain.mode() == WriteMode.TABLE && drain.decode() != null) {
				double ratio = drain.drainRate() / drain.decodeRate();
				targets.add(new Target("relay drain >= 90 % of (a) pg_recvlogical, table, " + drain.eventsPerTransaction()
						+ "/tx", percent(ratio), ratio >= 0.90));
			}
		}
		targets.addAll(this.peers.targets(Peer.DEBEZIUM_TUNED.label(), "quiet"));
		targets.addAll(this.busyPeers.targets(Peer.DEBEZIUM_TUNED.label(), "busy"));
		targets.addAll(ModeTargets.drains(this.drains.values().stream().map(ModeTargets.DrainFigures::of).toList()));
		targets.addAll(ModeTargets.writePath(this.writePath, this.postgresWritePath));
		return targets;
	}

	// ---- the table

	String table() {
		StringBuilder out = new StringBuilder();
		int cpus = Runtime.getRuntime().availableProcessors();
		out.append(String.format(Locale.ROOT, "Outbox relay benchmark, %s run, %s, revision %s%n", this.options.mode(),
				this.started, this.options.revision()));
		out.append(String.format(Locale.ROOT, "Machine: %d CPUs (%s), %.1f GiB, Linux %s, Java %s, PostgreSQL %s, Kafka %s%n",
				cpus, cpuModel(), memoryGiB(), System.getProperty("os.version"), System.getProperty("java.version"),
				this.postgresVersion, Topics.clientVersion()));
		if (this.overall != null) {
			out.append(String.format(Locale.ROOT,
					"Other processes used %.0f %% of the machine's CPU during the run (%.0f CPU-s in %.0f s); "
							+ "per figure below, * marks one taken while they used over 10 %%.%n",
					this.overall.foreignShare() * 100, this.overall.foreignCpuSeconds(), this.overall.wallSeconds()));
		}
		out.append(String.format(Locale.ROOT, "Workload: backlogs of outbox_event INSERT+DELETE (table mode) and of WAL messages (message mode), "
				+ "payload %d bytes, %d aggregates, "
				+ "%d writer connections, topics of %d partitions, relay -Xmx256m.%n%n", EventPayload.SIZE,
				BenchOptions.AGGREGATES, BenchOptions.WRITER_THREADS, BenchOptions.PARTITIONS));
		if (!this.drains.isEmpty() || this.producer != null) {
			out.append(String.format(Locale.ROOT, "%-52s", ""));
			for (Runs.Drain drain : this.drains.values()) {
				out.append(String.format(Locale.ROOT, " %16s", drain.mode().property() + " " + drain.eventsPerTransaction()
						+ "/tx"));
			}
			out.append(String.format(Locale.ROOT, "%n"));
			row(out, "backlog of (c) written, events/s", (d) -> count(d.backlog().rate()));
			row(out, "WAL bytes per event", (d) -> count(d.walBytes() / (double) d.drain().expected()));
			row(out, "(a) pg_recvlogical decode, events/s",
					(d) -> (d.decode() != null) ? count(d.decodeRate()) + star(d.decodeLoad()) : "-");
			row(out, "(b) ProducerPerformance, records/s", (d) -> (this.producer != null)
					? count(this.producer.recordsPerSecond()) + star(this.producerLoad) : "-");
			row(out, "(c) relay drain, first -> last record, events/s",
					(d) -> count(d.drainRate()) + star(d.drainLoad()));
			row(out, "    drain / min(a, b)          (target >= 70 %)",
					(d) -> (ceiling(d) > 0) ? percent(d.drainRate() / ceiling(d)) : "-");
			row(out, "    missing / duplicates / out of order", (d) -> d.drain().missing() + " / "
					+ d.drain().duplicates() + " / " + d.drain().orderViolations());
			row(out, "    relay start -> first record, s", (d) -> String.format(Locale.ROOT, "%.1f", d.relayStartSeconds()));
			row(out, "(f) relay CPU-s per 100k events (target <= 1.5)",
					(d) -> String.format(Locale.ROOT, "%.2f", cpuPer100k(d)));
			for (int i = 0; i < 4; i++) {
				int rank = i;
				row(out, (i == 0) ? "    top relay threads, CPU-s during the drain" : "", (d) -> topThread(d, rank));
			}
			row(out, "    CPU-s in the drain: relay/walsender/broker", (d) -> String.format(Locale.ROOT, "%.1f/%.1f/%.1f",
					d.processCpuSeconds().getOrDefault("relay", 0.0), d.processCpuSeconds().getOrDefault("walsender", 0.0),
					d.processCpuSeconds().getOrDefault("broker", 0.0)));
			row(out, "    consumer/other/machine (of 2 x wall)", (d) -> String.format(Locale.ROOT, "%.1f/%.1f/%.0f%%",
					d.processCpuSeconds().getOrDefault("consumer (harness JVM)", 0.0),
					d.processCpuSeconds().getOrDefault("everything else", 0.0),
					100 * d.processCpuSeconds().getOrDefault("machine", 0.0)
							/ (Runtime.getRuntime().availableProcessors() * d.drain().seconds())));
			row(out, "    relay CPU-s, JVM start -> last record",
					(d) -> String.format(Locale.ROOT, "%.1f", d.relayCpuTotalSeconds()));
			row(out, "    walsender CPU-s: relay's / pg_recvlogical's", (d) -> String.format(Locale.ROOT, "%.1f / %s",
					d.walsenderCpuSeconds(), (d.decode() != null) ? String.format(Locale.ROOT, "%.1f", d.decode().walsenderCpuSeconds()) : "-"));
			row(out, "    heap used max / old gen max, MB", (d) -> {
				double[] heap = heap(d);
				return String.format(Locale.ROOT, "%.0f / %.0f", heap[0], heap[1]);
			});
			row(out, "    RSS max, MB", (d) -> String.format(Locale.ROOT, "%.0f", heap(d)[2]));
			row(out, "    young / full GCs, GC pause s", (d) -> {
				double[] heap = heap(d);
				return String.format(Locale.ROOT, "%d / %d, %.2f", (long) heap[3], (long) heap[4], heap[5]);
			});
			out.append('\n');
		}
		if (!this.latencies.isEmpty()) {
			out.append("(d) commit -> consumer receive, 1 event/tx, relay streaming (targets: p99 <= 20 ms at 2,000/s, "
					+ "<= 50 ms at 10,000/s; p50 <= 5 ms at 2,000/s)\n");
			out.append(String.format(Locale.ROOT, "  %7s %10s %10s %8s %8s %8s %8s %9s %8s %5s %16s %7s%n", "machine",
					"offered/s", "written/s", "p50 ms", "p99 ms", "max ms", "tx p50", "to broker", "missing", "dup", "sustained",
					"other"));
			for (Runs.Latency run : this.latencies) {
				Percentiles.Snapshot latency = run.consumed().latencyMicros();
				out.append(String.format(Locale.ROOT, "  %7s %10s %10s %8.1f %8.1f %8.1f %8.1f %9.1f %8d %5d %16s %6.0f%%%n",
						machine(run), count(run.offered()), count(run.write().rate()), latency.percentile(50) / 1e3,
						latency.percentile(99) / 1e3, latency.max() / 1e3,
						run.write().transactionMicros().percentile(50) / 1e3,
						run.consumed().toBrokerMicros().percentile(50) / 1e3, run.consumed().missing(),
						run.consumed().duplicates(), run.sustained() ? "yes" : "no: " + run.limitedBy(),
						run.load().foreignShare() * 100));
			}
			out.append(String.format(Locale.ROOT, "  highest sustained rate: %s events/s%n", count(highestSustained())));
			out.append("  tx p50: writer's INSERT -> COMMIT returned, included in the latencies; to broker: p50 of commit -> "
					+ "the broker's append time (ms resolution)\n");
			for (Runs.Latency run : this.latencies) {
				if (run.neighbour() != null) {
					out.append(String.format(Locale.ROOT, "  busy at %s/s: %s%n", count(run.offered()),
							run.neighbour().describe()));
				}
			}
			out.append("  CPU while the writers ran, % of one core (machine: 200 % = both cores busy):\n");
			for (Runs.Latency run : this.latencies) {
				out.append(String.format(Locale.ROOT, "  %7s %10s  %s%n", machine(run), count(run.offered()),
						Runs.Latency.cpuShares(run.cpuSeconds(), run.write().seconds())));
			}
			out.append('\n');
		}
		if (this.peers.hasPeers()) {
			out.append(this.peers.text());
			out.append(this.busyPeers.text());
			out.append('\n');
		}
		if (!this.writePath.isEmpty()) {
			out.append(String.format(Locale.ROOT, "(e) write path: JPA order with 2 lines, 4 threads%s%n",
					star(this.writePathLoad)));
			out.append(WritePathTable.text(this.writePath, this.postgresWritePath, this.writePathTables,
					this.writePathEvents));
			out.append('\n');
		}
		List<Target> targets = targets();
		if (!targets.isEmpty()) {
			out.append("Targets\n");
			for (Target target : targets) {
				out.append(String.format(Locale.ROOT, "  [%s] %-62s %s%n", target.met() ? " met  " : "MISSED",
						target.name(), target.value()));
			}
		}
		if (this.finished != null) {
			out.append(String.format(Locale.ROOT, "%nRun took %s.%n",
					Duration.between(this.started, this.finished).withNanos(0).toString().substring(2).toLowerCase()));
		}
		return out.toString();
	}

	private void row(StringBuilder out, String label, java.util.function.Function<Runs.Drain, String> cell) {
		out.append(String.format(Locale.ROOT, "%-52s", label));
		for (Runs.Drain drain : this.drains.values()) {
			out.append(String.format(Locale.ROOT, " %16s", cell.apply(drain)));
		}
		out.append(String.format(Locale.ROOT, "%n"));
	}

	private static String topThread(Runs.Drain drain, int rank) {
		return drain.threadCpuSeconds()
			.entrySet()
			.stream()
			.skip(rank)
			.findFirst()
			.map((entry) -> String.format(Locale.ROOT, "%s %.1f", abbreviate(entry.getKey()), entry.getValue()))
			.orElse("");
	}

	private static String abbreviate(String thread) {
		return thread.replace("kafka-producer-", "producer-io").replace("outbox-relay-re", "reader")
			.replace("C2 CompilerThre", "C2 JIT").replace("C1 CompilerThre", "C1 JIT");
	}

	private static String star(MachineLoad.@Nullable Phase load) {
		return (load != null && load.foreignShare() > 0.10) ? "*" : "";
	}

	private static String count(double value) {
		return String.format(Locale.ROOT, "%,.0f", value);
	}

	private static String percent(double ratio) {
		return String.format(Locale.ROOT, "%.0f %%", ratio * 100);
	}

	private static String ms(double value) {
		return String.format(Locale.ROOT, "%.1f ms", value);
	}

	// ---- the JSON document

	private Map<String, Object> document() {
		Map<String, Object> doc = new LinkedHashMap<>();
		doc.put("mode", this.options.mode());
		doc.put("started", this.started.toString());
		doc.put("finished", String.valueOf(this.finished));
		doc.put("revision", this.options.revision());
		doc.put("machine", machine());
		doc.put("workload", Map.of("payloadBytes", EventPayload.SIZE, "aggregates", BenchOptions.AGGREGATES,
				"writerConnections", BenchOptions.WRITER_THREADS, "partitions", BenchOptions.PARTITIONS, "backlogEvents",
				this.options.events(), "relayJvm", "-Xmx256m " + String.join(" ", this.options.relayJvmOptions())));
		if (this.producer != null) {
			Map<String, Object> producer = new LinkedHashMap<>();
			producer.put("records", this.producer.records());
			producer.put("recordsPerSecond", round(this.producer.recordsPerSecond()));
			producer.put("megabytesPerSecond", this.producer.megabytesPerSecond());
			producer.put("p50LatencyMs", this.producer.p50LatencyMs());
			producer.put("p99LatencyMs", this.producer.p99LatencyMs());
			producer.put("load", load(this.producerLoad));
			doc.put("b_producerPerformance", producer);
		}
		Map<String, Object> drains = new LinkedHashMap<>();
		for (Runs.Drain drain : this.drains.values()) {
			drains.put(((drain.mode() == WriteMode.TABLE) ? "" : drain.mode().property() + "_")
					+ drain.eventsPerTransaction() + "_per_tx", drainDocument(drain));
		}
		doc.put("drains", drains);
		List<Object> latencies = new ArrayList<>();
		for (Runs.Latency run : this.latencies) {
			Map<String, Object> entry = new LinkedHashMap<>();
			Percentiles.Snapshot latency = run.consumed().latencyMicros();
			entry.put("machine", machine(run));
			if (run.neighbour() != null) {
				entry.put("neighbourTransactionsPerSecond", round(run.neighbour().transactionsPerSecond()));
				entry.put("neighbourLatencyMs", round3(run.neighbour().latencyMillis()));
			}
			entry.put("offeredPerSecond", run.offered());
			entry.put("writtenPerSecond", round(run.write().rate()));
			entry.put("events", run.write().events());
			entry.put("p50Ms", latency.percentile(50) / 1e3);
			entry.put("p90Ms", latency.percentile(90) / 1e3);
			entry.put("p99Ms", latency.percentile(99) / 1e3);
			entry.put("p999Ms", latency.percentile(99.9) / 1e3);
			entry.put("maxMs", latency.max() / 1e3);
			entry.put("commitToBrokerAppendP50Ms", run.consumed().toBrokerMicros().percentile(50) / 1e3);
			entry.put("commitToBrokerAppendP99Ms", run.consumed().toBrokerMicros().percentile(99) / 1e3);
			entry.put("brokerAppendToReceiveP50Ms", run.consumed().fromBrokerMicros().percentile(50) / 1e3);
			entry.put("brokerAppendToReceiveP99Ms", run.consumed().fromBrokerMicros().percentile(99) / 1e3);
			Map<String, Object> cpuShare = new LinkedHashMap<>();
			run.cpuSeconds().forEach((name, cpu) -> cpuShare.put(name, round3(cpu / Math.max(run.write().seconds(), 1e-9))));
			entry.put("cpuCoresWhileWriting", cpuShare);
			entry.put("writerTransactionP50Ms", run.write().transactionMicros().percentile(50) / 1e3);
			entry.put("writerTransactionP99Ms", run.write().transactionMicros().percentile(99) / 1e3);
			entry.put("missing", run.consumed().missing());
			entry.put("duplicates", run.consumed().duplicates());
			entry.put("outOfOrder", run.consumed().orderViolations());
			entry.put("sustained", run.sustained());
			entry.put("limitedBy", run.limitedBy());
			entry.put("load", load(run.load()));
			latencies.add(entry);
		}
		doc.put("d_latency", latencies);
		doc.put("d_highestSustainedPerSecond", highestSustained());
		if (this.peers.hasPeers()) {
			doc.put("peers", this.peers.document());
			doc.put("peersOnTheBusyMachine", this.busyPeers.document());
		}
		if (!this.writePath.isEmpty()) {
			Map<String, Object> writePath = new LinkedHashMap<>();
			for (Runs.WritePath variant : this.writePath) {
				Map<String, Object> entry = new LinkedHashMap<>();
				entry.put("transactionsPerSecond", round(variant.tps()));
				entry.put("rounds", variant.tpsRounds());
				entry.put("walBytesPerTransaction", round(variant.walBytesPerTransaction()));
				entry.put("ratioToNoEvent", round3(variant.ofNone()));
				entry.put("jvmCpuMicrosPerTransaction", round(variant.jvmCpuPerTransaction()));
				entry.put("postgresCpuMicrosPerTransaction", round(variant.postgresCpuPerTransaction()));
				Double walPerEvent = walPerEvent(variant);
				if (walPerEvent != null) {
					entry.put("walBytesPerEvent", round(walPerEvent));
				}
				Runs.PostgresWritePath sql = ModeTargets.postgres(this.postgresWritePath, variant.variant());
				if (sql != null) {
					entry.put("pgbenchTransactionsPerSecond", round(sql.tps()));
					entry.put("pgbenchRounds", sql.tpsRounds());
					entry.put("pgbenchRatioToOrderAlone", round3(sql.ofNone()));
					entry.put("pgbenchCpuMicrosPerTransaction", round(sql.clientCpuPerTransaction()));
					entry.put("pgbenchPostgresCpuMicrosPerTransaction", round(sql.postgresCpuPerTransaction()));
				}
				writePath.put(variant.variant().modeName() + "_" + variant.variant().events() + "_events", entry);
			}
			Map<String, Object> tables = new LinkedHashMap<>();
			this.writePathTables.forEach((mode, activity) -> {
				long events = this.writePathEvents.getOrDefault(mode, 0L);
				Map<String, Object> entry = new LinkedHashMap<>();
				entry.put("eventsWritten", events);
				entry.put("rowsInserted", activity.inserted());
				entry.put("rowsDeleted", activity.deleted());
				entry.put("deadTuplesMadePer100kEvents", round(TableActivity.per100k(activity.deleted(), events)));
				entry.put("autovacuumsPer100kEvents", round3(TableActivity.per100k(activity.autovacuums(), events)));
				entry.put("deadTuplesAtEnd", activity.deadNow());
				entry.put("totalRelationBytes", activity.totalBytes());
				tables.put(mode.property(), entry);
			});
			writePath.put("outboxTables", tables);
			writePath.put("load", load(this.writePathLoad));
			doc.put("e_writePath", writePath);
		}
		List<Object> targets = new ArrayList<>();
		for (Target target : targets()) {
			targets.add(Map.of("target", target.name(), "value", target.value(), "met", target.met()));
		}
		doc.put("targets", targets);
		doc.put("load", load(this.overall));
		return doc;
	}

	private Map<String, Object> drainDocument(Runs.Drain drain) {
		Map<String, Object> entry = new LinkedHashMap<>();
		entry.put("writeMode", drain.mode().property());
		entry.put("events", drain.drain().expected());
		entry.put("backlogWrittenPerSecond", round(drain.backlog().rate()));
		entry.put("walBytesPerEvent", round(drain.walBytes() / (double) drain.drain().expected()));
		if (drain.decode() != null) {
			entry.put("a_pgRecvLogicalPerSecond", round(drain.decodeRate()));
			entry.put("a_pgRecvLogicalSeconds", round3(drain.decode().seconds()));
			entry.put("a_walsenderCpuSeconds", drain.decode().walsenderCpuSeconds());
			entry.put("a_load", load(drain.decodeLoad()));
		}
		entry.put("c_drainPerSecond", round(drain.drainRate()));
		entry.put("c_drainSeconds", round3(drain.drain().seconds()));
		entry.put("c_ratioToCeiling", round3(drain.drainRate() / ceiling(drain)));
		entry.put("c_missing", drain.drain().missing());
		entry.put("c_duplicates", drain.drain().duplicates());
		entry.put("c_outOfOrder", drain.drain().orderViolations());
		entry.put("c_relayStartToFirstRecordSeconds", round3(drain.relayStartSeconds()));
		entry.put("c_walsenderCpuSeconds", drain.walsenderCpuSeconds());
		entry.put("c_load", load(drain.drainLoad()));
		double[] heap = heap(drain);
		Map<String, Object> resources = new LinkedHashMap<>();
		resources.put("cpuSecondsDuringDrain", round3(drain.relayCpuSeconds()));
		resources.put("cpuSecondsPerMillionEvents", round3(drain.relayCpuSeconds() * 1e6 / drain.drain().received()));
		resources.put("cpuSecondsPer100kEvents", round3(cpuPer100k(drain)));
		resources.put("cpuSecondsJvmStartToLastRecord", round3(drain.relayCpuTotalSeconds()));
		Map<String, Object> threads = new LinkedHashMap<>();
		drain.threadCpuSeconds().forEach((name, seconds) -> threads.put(name, round3(seconds)));
		resources.put("cpuSecondsByThreadDuringDrain", threads);
		Map<String, Object> processes = new LinkedHashMap<>();
		drain.processCpuSeconds().forEach((name, seconds) -> processes.put(name, round3(seconds)));
		resources.put("cpuSecondsByProcessDuringDrain", processes);
		resources.put("heapUsedMaxMb", round(heap[0]));
		resources.put("oldGenMaxMb", round(heap[1]));
		resources.put("oldGenMaxFirstHalfMb", round(heap[6]));
		resources.put("oldGenMaxSecondHalfMb", round(heap[7]));
		resources.put("rssMaxMb", round(heap[2]));
		resources.put("youngGcs", (long) heap[3]);
		resources.put("fullGcs", (long) heap[4]);
		resources.put("gcPauseSeconds", round3(heap[5]));
		resources.put("flatHeap", flatHeap(heap));
		List<Object> series = new ArrayList<>();
		for (ResourceSampler.Sample sample : drain.samples()) {
			series.add(List.of(round3(sample.seconds()), round(sample.heapUsedMb()), round(sample.oldUsedMb()),
					round(sample.rssMb()), round3(sample.cpuSeconds()), sample.youngGcs(), sample.fullGcs(),
					round3(sample.gcSeconds()), sample.events()));
		}
		resources.put("seriesColumns", List.of("seconds", "heapUsedMb", "oldGenMb", "rssMb", "cpuSeconds", "youngGcs",
				"fullGcs", "gcPauseSeconds", "eventsReceived"));
		resources.put("series", series);
		entry.put("f_relayResources", resources);
		return entry;
	}

	private Map<String, Object> machine() {
		Map<String, Object> machine = new LinkedHashMap<>();
		machine.put("nproc", Runtime.getRuntime().availableProcessors());
		machine.put("cpuModel", cpuModel());
		machine.put("memoryGiB", round3(memoryGiB()));
		machine.put("kernel", System.getProperty("os.version"));
		machine.put("os", ProcFs.read("/etc/debian_version", "?").isEmpty() ? "?" : "Debian " + ProcFs.read("/etc/debian_version", "?"));
		machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
		machine.put("postgresql", this.postgresVersion);
		machine.put("kafka", Topics.clientVersion());
		machine.put("loadAverageAtStart", this.loadAtStart);
		machine.put("loadAverageAtEnd", ProcFs.read("/proc/loadavg", "?"));
		return machine;
	}

	private static Map<String, Object> load(MachineLoad.@Nullable Phase phase) {
		if (phase == null) {
			return Map.of();
		}
		Map<String, Object> load = new LinkedHashMap<>();
		load.put("wallSeconds", round3(phase.wallSeconds()));
		load.put("benchmarkCpuSeconds", round3(phase.ownCpuSeconds()));
		load.put("otherProcessesCpuSeconds", round3(phase.foreignCpuSeconds()));
		load.put("otherProcessesShare", round3(phase.foreignShare()));
		return load;
	}

	static String cpuModel() {
		for (String line : ProcFs.read("/proc/cpuinfo", "").split("\n")) {
			if (line.startsWith("model name")) {
				return line.substring(line.indexOf(':') + 1).trim();
			}
		}
		return "?";
	}

	static double memoryGiB() {
		for (String line : ProcFs.read("/proc/meminfo", "").split("\n")) {
			if (line.startsWith("MemTotal:")) {
				return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1048576.0;
			}
		}
		return 0;
	}

	private static double round(double value) {
		return Math.round(value * 10) / 10.0;
	}

	private static double round3(double value) {
		return Math.round(value * 1000) / 1000.0;
	}

	// ---- the plots

	private LineChart latencyChart() {
		List<Runs.Latency> runs = this.latencies.stream().filter((run) -> !run.busy()).toList();
		List<Runs.Latency> busy = this.latencies.stream().filter(Runs.Latency::busy).toList();
		double[] rates = runs.stream().mapToDouble(Runs.Latency::offered).toArray();
		LineChart chart = new LineChart((this.peers.hasPeers() ? "Relay and peers' latency" : "Relay latency") + ", commit -> consumer receive (1 event/tx, " + this.options.mode() + " run)",
				"offered rate, events/s (log)", "latency, ms (log)", true, true);
		String relay = this.peers.hasPeers() ? "relay " : "";
		chart.series(relay + "p50", new Color(0x1f77b4), rates, percentileMs(runs, 50), true);
		chart.series(relay + "p99", new Color(0xff7f0e), rates, percentileMs(runs, 99), true);
		chart.series(relay + "max", new Color(0xd62728), rates,
				runs.stream().mapToDouble((run) -> run.consumed().latencyMicros().max() / 1e3).toArray(), true);
		Color[] peerColors = { new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf) };
		List<String> peerNames = this.peers.peerNames();
		for (int i = 0; i < peerNames.size(); i++) {
			Map<Double, PeerComparison.Live> live = this.peers.liveOf(peerNames.get(i));
			if (live.isEmpty()) {
				continue;
			}
			double[] peerRates = live.keySet().stream().mapToDouble(Double::doubleValue).toArray();
			Color color = peerColors[i % peerColors.length];
			chart.series(peerNames.get(i) + " p50", color.brighter(), peerRates,
					live.values().stream().mapToDouble(PeerComparison.Live::p50Ms).toArray(), true);
			chart.series(peerNames.get(i) + " p99", color, peerRates,
					live.values().stream().mapToDouble(PeerComparison.Live::p99Ms).toArray(), true);
		}
		if (!busy.isEmpty()) {
			chart.series(relay + "p99, busy machine", new Color(0x7f7f7f), busy.stream().mapToDouble(Runs.Latency::offered).toArray(),
					percentileMs(busy, 99), true);
		}
		for (Runs.Drain drain : this.drains.values()) {
			if (drain.mode() != WriteMode.TABLE) {
				continue; // the table-mode drains mark the chart; message mode's are in the table
			}
			chart.marker(drain.drainRate(), String.format(Locale.ROOT, "relay drain, %d/tx: %,.0f/s",
					drain.eventsPerTransaction(), drain.drainRate()), (drain.eventsPerTransaction() == 1)
							? new Color(0x2ca02c) : new Color(0x9467bd));
			if (drain.decode() != null && drain.eventsPerTransaction() == 1) {
				chart.marker(drain.decodeRate(), String.format(Locale.ROOT, "(a) decode, 1/tx: %,.0f/s", drain.decodeRate()),
						Color.GRAY);
			}
		}
		return chart;
	}

	/** @return "quiet" or "busy" ({@link dev.outbox.bench.BusyNeighbour}) */
	private static String machine(Runs.Latency run) {
		return run.busy() ? "busy" : "quiet";
	}

	private static double[] percentileMs(List<Runs.Latency> runs, double percent) {
		return runs.stream().mapToDouble((run) -> run.consumed().latencyMicros().percentile(percent) / 1e3).toArray();
	}

	private LineChart resourceChart(Runs.Drain drain, List<ResourceSampler.Sample> samples) {
		double[] t = samples.stream().mapToDouble(ResourceSampler.Sample::seconds).toArray();
		LineChart chart = new LineChart(String.format(Locale.ROOT, "Relay -Xmx256m: heap and RSS, %,d-event %s-mode backlog, %d event(s)/tx%s",
				drain.drain().expected(), drain.mode().property(), drain.eventsPerTransaction(),
				(samples != drain.samples()) ? ", then the latency runs" : ""), "seconds since the relay JVM started",
				"MB", false, false);
		chart.series("RSS", new Color(0xd62728), t, samples.stream().mapToDouble(ResourceSampler.Sample::rssMb).toArray(), false);
		chart.series("heap committed", new Color(0x7f7f7f), t,
				samples.stream().mapToDouble(ResourceSampler.Sample::heapCommittedMb).toArray(), false);
		chart.series("heap used", new Color(0x1f77b4), t,
				samples.stream().mapToDouble(ResourceSampler.Sample::heapUsedMb).toArray(), false);
		chart.series("old gen used", new Color(0xff7f0e), t,
				samples.stream().mapToDouble(ResourceSampler.Sample::oldUsedMb).toArray(), false);
		if (!samples.isEmpty()) {
			long origin = samples.get(0).nanos() - (long) (samples.get(0).seconds() * 1e9);
			chart.marker((drain.drain().firstNanos() - origin) / 1e9, "first record", new Color(0x2ca02c));
			chart.marker((drain.drain().lastNanos() - origin) / 1e9, "backlog drained", new Color(0x2ca02c));
		}
		return chart;
	}

}
