package dev.outbox.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import dev.outbox.bench.report.PeerComparison;
import dev.outbox.bench.report.Report;
import org.jspecify.annotations.Nullable;

/**
 * Runs the benchmark against a PostgreSQL and a Kafka broker that
 * {@code scripts/bench.sh} started for it, then writes the table, the JSON and the plots:
 * <ol>
 * <li>(b) {@code ProducerPerformance};</li>
 * <li>for a backlog written in table mode and then one in message mode, each with 1 and then 10
 * events per transaction, in a fresh database: two slots at the same position, the backlog
 * written with the relay stopped, (a) {@code pg_recvlogical} over one slot, (c) the relay over
 * the other with (f) its resources sampled;</li>
 * <li>(d) after the table-mode 1-event drain, with the same relay: fixed rates of 2,000 and 10,000 events/s,
 * then the highest rate it sustains (see {@link #latency}); then the fixed rates again on a busy
 * machine, with another database of the same server under pgbench load ({@link BusyNeighbour});</li>
 * <li>(e) the write path in a JPA application of its own, per write mode, and the same SQL by
 * pgbench.</li>
 * </ol>
 * Peers ({@link Peer}, {@code --peers}) drain the table-mode backlogs from slots of their own,
 * created with the relay's, before the relay does, one at a time; after the relay's drain their
 * records are checked against the relay's ({@link SameRecords}), and after the relay's fixed
 * rates each runs the same rates from a fresh slot. A peer that fails or publishes other records
 * does not stop the relay's phases, but fails the run once the report is written.
 */
public final class BenchMain {

	/** Threads of the JPA write path, and pgbench clients of PostgreSQL's share of it. */
	private static final int WRITE_PATH_THREADS = 4;

	private final BenchOptions options;

	private final Database server;

	private final Path logs;

	private final MachineLoad load;

	private final Report report;

	private BenchMain(BenchOptions options) throws Exception {
		this.options = options;
		this.server = Database.fromJdbcUrl(options.pgUrl());
		this.logs = Files.createDirectories(options.work().resolve("logs"));
		Set<Long> roots = new HashSet<>();
		if (options.brokerPid() > 0) {
			roots.add(options.brokerPid());
		}
		if (options.postmasterPid() > 0) {
			roots.add(options.postmasterPid());
		}
		this.load = new MachineLoad(roots);
		this.report = new Report(options, this.server.serverVersion(), Instant.now());
	}

	public static void main(String[] args) throws Exception {
		BenchOptions options = BenchOptions.parse(args);
		BenchMain bench = new BenchMain(options);
		try {
			bench.run();
		}
		finally {
			bench.load.close();
		}
		System.exit(0);
	}

	private void run() throws Exception {
		MachineLoad.Mark all = this.load.mark();
		try (Topics topics = new Topics(this.options.bootstrap(), BenchOptions.PARTITIONS)) {
			if (this.options.phases().contains("b")) {
				step("(b) ProducerPerformance, " + this.options.producerRecords() + " records of "
						+ EventPayload.SIZE + " bytes");
				topics.create("bench.producer-perf");
				MachineLoad.Mark mark = this.load.mark();
				ProducerPerf.Result result = ProducerPerf.run(System.getProperty("java.class.path"),
						this.options.bootstrap(), "bench.producer-perf", this.options.producerRecords(),
						this.logs.resolve("producer-perf.log"));
				this.report.producer(result, this.load.since(mark));
				say(String.format(Locale.ROOT, "%,.0f records/s", result.recordsPerSecond()));
			}
			if (this.options.phases().contains("c") || this.options.phases().contains("a")) {
				for (WriteMode mode : List.of(WriteMode.TABLE, WriteMode.MESSAGE)) {
					drain(topics, mode, 1);
					drain(topics, mode, 10);
				}
			}
		}
		if (this.options.phases().contains("e")) {
			writePath();
		}
		this.report.finish(Instant.now(), this.load.since(all));
		this.report.write(this.options.results());
		List<String> problems = this.report.peers().problems();
		if (!problems.isEmpty()) {
			throw new IllegalStateException("a peer failed, or its records differ from the relay's so its figures do "
					+ "not compare: " + String.join("; ", problems));
		}
	}

	private void drain(Topics topics, WriteMode mode, int perTransaction) throws Exception {
		boolean table = mode == WriteMode.TABLE;
		String suffix = (table ? "s" : "m") + perTransaction; // s1, s10: the names of earlier runs
		String name = (table ? "" : "message-") + "s" + perTransaction;
		Database database = this.server.recreate("bench_" + suffix);
		database.createOutbox(this.options.migration());
		String relaySlot = "relay_" + suffix;
		String recvSlot = "recv_" + suffix;
		database.createSlot(relaySlot);
		database.createSlot(recvSlot);
		// Peers drain the table-mode backlogs from slots of their own at the same position.
		List<Peer> peers = (table && this.options.phases().contains("c")) ? this.options.peers() : List.of();
		for (Peer peer : peers) {
			database.createSlot(peerSlot(peer, suffix));
		}
		String aggregateType = "drain" + (table ? "" : "m") + perTransaction;
		String topic = "outbox.event." + aggregateType;
		topics.create(topic);
		long events = this.options.events();
		step(String.format(Locale.ROOT, "backlog: %,d events in %s mode, %d per transaction, relay stopped", events,
				mode.property(), perTransaction));
		long walBefore = database.currentWalLsn();
		OutboxWriter.Result backlog = new OutboxWriter(database, aggregateType, BenchOptions.AGGREGATES,
				BenchOptions.WRITER_THREADS, mode)
			.backlog(events, perTransaction);
		long walAfter = database.currentWalLsn();
		database.execute("CHECKPOINT");
		say(String.format(Locale.ROOT, "written in %.1f s (%,.0f events/s), %,d WAL bytes per event", backlog.seconds(),
				backlog.rate(), (walAfter - walBefore) / events));
		PgRecvLogical.Result decode = null;
		MachineLoad.Phase decodeLoad = null;
		if (this.options.phases().contains("a")) {
			step("(a) pg_recvlogical from a fresh slot over the backlog");
			MachineLoad.Mark mark = this.load.mark();
			decode = PgRecvLogical.run(this.options.pgBin(), database, recvSlot, walAfter,
					this.logs.resolve("pg_recvlogical-" + name + ".log"));
			decodeLoad = this.load.since(mark);
			say(String.format(Locale.ROOT, "%.2f s, %,.0f events/s (walsender %.1f CPU-s)", decode.seconds(),
					events / decode.seconds(), decode.walsenderCpuSeconds()));
		}
		database.dropSlot(recvSlot);
		if (!this.options.phases().contains("c")) {
			database.dropSlot(relaySlot);
			return;
		}
		Map<Peer, Map<Integer, Long>> peerOffsets = new LinkedHashMap<>();
		for (Peer peer : peers) {
			step("(peer) " + peer.label() + " drains the table-mode backlog");
			try {
				peerOffsets.put(peer, peerDrain(peer, database, peerSlot(peer, suffix), topic, name, perTransaction));
			}
			catch (Exception ex) { // the relay's phases still run; the run fails once the report is written
				peerFailed(peer, "drain of " + name, ex);
				dropSlotWhenReleased(database, peerSlot(peer, suffix));
			}
		}
		boolean latency = table && perTransaction == 1 && this.options.phases().contains("d");
		step("(c) relay drains the " + mode.property() + "-mode backlog" + (latency
				? ", then (d) latency at fixed rates" : ""));
		List<String> jvm = new ArrayList<>(List.of("-Xmx256m"));
		if (this.options.jfr()) {
			jvm.add("-XX:StartFlightRecording=filename=" + this.options.work().resolve("relay-" + name + ".jfr")
					+ ",settings=profile,dumponexit=true");
		}
		jvm.addAll(this.options.relayJvmOptions());
		MachineLoad.Mark mark = this.load.mark();
		try (VerifyingConsumer consumer = new VerifyingConsumer(this.options.bootstrap(), topic,
				BenchOptions.AGGREGATES)) {
			long launched = System.nanoTime();
			RelayProcess relay = RelayProcess.start(this.options.relayJar(), jvm, database, this.options.bootstrap(),
					relaySlot, this.logs.resolve("relay-" + name + ".log"),
					this.options.work().resolve("gc-relay-" + name + ".log"));
			try (relay; ResourceSampler sampler = new ResourceSampler(relay.pid(), consumer::unique);
					CpuWatch walsender = new CpuWatch(() -> walsenderPid(database, relaySlot))) {
				awaitFirstRecord(consumer, relay);
				Map<String, Long> threadsAtFirst = ProcFs.threadTicks(relay.pid());
				Map<String, Double> cpuAtFirst = cpuSplit("relay", relay.pid(), walsender.pid());
				long firstEpochMillis = System.currentTimeMillis();
				Map<String, Map<String, Long>> threadsAtLast = new HashMap<>();
				Map<String, Double> cpuAtLast = new LinkedHashMap<>();
				VerifyingConsumer.Result drained = consumer.await(events, Duration.ofSeconds(60),
						() -> {
							threadsAtLast.put("last", ProcFs.threadTicks(relay.pid()));
							cpuAtLast.putAll(cpuSplit("relay", relay.pid(), walsender.pid()));
						});
				Files.writeString(this.options.work().resolve("relay-" + name + ".window"),
						firstEpochMillis + " " + System.currentTimeMillis() + "\n");
				MachineLoad.Phase drainLoad = this.load.since(mark);
				double walsenderCpu = walsender.cpuSeconds();
				Thread.sleep(2 * ResourceSampler.INTERVAL_MILLIS);
				List<ResourceSampler.Sample> samples = sampler.samples();
				double cpuFirst = ResourceSampler.cpuAt(samples, drained.firstNanos());
				double cpuLast = ResourceSampler.cpuAt(samples, drained.lastNanos());
				Runs.Drain run = new Runs.Drain(mode, perTransaction, backlog, walAfter - walBefore, decode, drained,
						cpuLast - cpuFirst, cpuLast, walsenderCpu, (drained.firstNanos() - launched) / 1e9, samples,
						threadCpu(threadsAtFirst, threadsAtLast.getOrDefault("last", Map.of())),
						difference(cpuAtFirst, cpuAtLast), decodeLoad, drainLoad);
				this.report.drain(run);
				if (table) {
					this.report.peers().drain(PeerComparison.RELAY, perTransaction,
							comparison(drained, run.processCpuSeconds(), "relay", run.relayStartSeconds()));
					checkRecords(topic, consumer.startOffsets(), peerOffsets);
				}
				say(String.format(Locale.ROOT,
						"%,.0f events/s over %.2f s; %,d missing, %,d duplicates, %,d out of order; relay %.2f CPU-s per 100k events",
						run.drainRate(), drained.seconds(), drained.missing(), drained.duplicates(),
						drained.orderViolations(), run.cpuPer100k()));
				if (!drained.complete()) {
					say("WARNING: the drain is incomplete; see " + relay.log());
				}
				if (latency) {
					latency(topics, database, relay, walsender.pid());
					this.report.relaySamples(sampler.samples());
				}
			}
		}
		database.dropSlot(relaySlot);
		if (latency) {
			for (Peer peer : peers) {
				try {
					peerLatency(topics, database, peer);
				}
				catch (Exception ex) {
					peerFailed(peer, "latency", ex);
				}
			}
		}
	}

	private void peerFailed(Peer peer, String phase, Exception ex) {
		say("ERROR: " + peer.label() + ", " + phase + ": " + ex);
		this.report.peers().failure(peer.label(), phase + ": " + ex.getMessage());
	}

	private static String peerSlot(Peer peer, String suffix) {
		return peer.label().replace('-', '_') + "_" + suffix;
	}

	/**
	 * A peer drains the backlog from its own slot, measured as the relay's drain is: from its first
	 * record to its last, its process's and its walsender's CPU over that window.
	 * @return where its verifying consumer started, for the check of its records
	 */
	private Map<Integer, Long> peerDrain(Peer peer, Database database, String slot, String topic, String name,
			int perTransaction) throws Exception {
		String label = peer.label();
		try (VerifyingConsumer consumer = new VerifyingConsumer(this.options.bootstrap(), topic,
				BenchOptions.AGGREGATES)) {
			long launched = System.nanoTime();
			ConnectProcess connect = ConnectProcess.start(peer, this.options.debeziumLib(), this.options.work(),
					label + "-" + name, database, this.options.bootstrap(), slot,
					this.logs.resolve(label + "-" + name + ".log"));
			try (connect; CpuWatch walsender = new CpuWatch(() -> walsenderPid(database, slot))) {
				awaitFirstRecord(consumer, connect);
				Map<String, Double> cpuAtFirst = cpuSplit(label, connect.pid(), walsender.pid());
				Map<String, Double> cpuAtLast = new LinkedHashMap<>();
				VerifyingConsumer.Result drained = consumer.await(this.options.events(), Duration.ofSeconds(60),
						() -> cpuAtLast.putAll(cpuSplit(label, connect.pid(), walsender.pid())));
				if (cpuAtLast.isEmpty()) {
					cpuAtLast.putAll(cpuSplit(label, connect.pid(), walsender.pid()));
				}
				PeerComparison.Drain figures = comparison(drained, difference(cpuAtFirst, cpuAtLast), label,
						(drained.firstNanos() - launched) / 1e9);
				this.report.peers().drain(label, perTransaction, figures);
				say(String.format(Locale.ROOT,
						"%,.0f events/s over %.2f s; %,d missing, %,d duplicates, %,d out of order; %s %.2f CPU-s and walsender %.2f CPU-s per 100k events; first record %.1f s after launch",
						figures.rate(), drained.seconds(), drained.missing(), drained.duplicates(),
						drained.orderViolations(), label, figures.cpuPer100k(), figures.walsenderPer100k(),
						figures.startSeconds()));
				if (!drained.complete()) {
					say("WARNING: the drain is incomplete; see " + connect.log());
				}
				return consumer.startOffsets();
			}
			finally {
				dropSlotWhenReleased(database, slot);
			}
		}
	}

	private static PeerComparison.Drain comparison(VerifyingConsumer.Result drained, Map<String, Double> cpu,
			String process, double startSeconds) {
		return new PeerComparison.Drain(drained.received(), drained.seconds(), cpu.getOrDefault(process, 0.0),
				cpu.getOrDefault("walsender", 0.0), startSeconds, drained.missing(), drained.duplicates(),
				drained.orderViolations());
	}

	/**
	 * Compares the first records of each peer in each partition with the relay's; a difference
	 * is printed, kept in the report, and fails the run once the report is written.
	 */
	private void checkRecords(String topic, Map<Integer, Long> relayOffsets, Map<Peer, Map<Integer, Long>> peerOffsets) {
		if (peerOffsets.isEmpty()) {
			return;
		}
		List<SameRecords.Published> relay = SameRecords.read(this.options.bootstrap(), topic, relayOffsets,
				SameRecords.PER_PARTITION);
		peerOffsets.forEach((peer, offsets) -> {
			List<String> differences = SameRecords.differences(peer.label(), relay,
					SameRecords.read(this.options.bootstrap(), topic, offsets, SameRecords.PER_PARTITION));
			this.report.peers().records(peer.label(), differences);
			say(differences.isEmpty() ? String.format(Locale.ROOT,
					"%s's first %d records of each partition are the relay's: topic, partition, key, value, id and eventType",
					peer.label(), SameRecords.PER_PARTITION) : "ERROR: " + String.join("; ", differences));
		});
	}

	/**
	 * The live rates of the relay's phase (d) with a peer streaming from a fresh slot, each to a
	 * topic of the peer's own, with the same warm-ups.
	 */
	private void peerLatency(Topics topics, Database database, Peer peer) throws Exception {
		String label = peer.label();
		String slot = peer.label().replace('-', '_') + "_live";
		step("(peer) " + label + ": latency at fixed rates");
		database.createSlot(slot);
		long launched = System.nanoTime();
		ConnectProcess connect = ConnectProcess.start(peer, this.options.debeziumLib(), this.options.work(),
				label + "-live", database, this.options.bootstrap(), slot, this.logs.resolve(label + "-live.log"));
		try (connect) {
			// Started when it published a first batch, as the relay has when its latency runs begin.
			String ready = label.replace('-', '_') + "_ready";
			topics.create("outbox.event." + ready);
			try (VerifyingConsumer consumer = new VerifyingConsumer(this.options.bootstrap(), "outbox.event." + ready,
					BenchOptions.AGGREGATES)) {
				long events = new OutboxWriter(database, ready, BenchOptions.AGGREGATES, BenchOptions.WRITER_THREADS,
						WriteMode.TABLE).backlog(BenchOptions.WRITER_THREADS * 10, 1).events();
				awaitFirstRecord(consumer, connect);
				consumer.await(events, Duration.ofSeconds(60));
				say(String.format(Locale.ROOT, "%s published its first events %.1f s after launch", label,
						(consumer.firstNanos() - launched) / 1e9));
			}
			fixedRates(topics, database, connect, walsenderPid(database, slot), this.options.peerRates(),
					label.replace('-', '_') + "_", label);
		}
		finally {
			dropSlotWhenReleased(database, slot);
		}
	}

	private static PeerComparison.Live live(Runs.Latency run, String process) {
		Percentiles.Snapshot latency = run.consumed().latencyMicros();
		return new PeerComparison.Live(run.offered(), latency.percentile(50) / 1e3, latency.percentile(99) / 1e3,
				latency.max() / 1e3, run.consumed().toBrokerMicros().percentile(99) / 1e3,
				run.cpuSeconds().getOrDefault(process, 0.0), run.write().seconds(), run.consumed().missing(),
				run.consumed().orderViolations());
	}

	/** Drops a slot once its last client's walsender has gone (a stopped JVM's connection ends a moment later). */
	private static void dropSlotWhenReleased(Database database, String slot) throws Exception {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (walsenderPid(database, slot) != 0 && System.nanoTime() < deadline) {
			Thread.sleep(50);
		}
		database.dropSlot(slot);
	}

	private void awaitFirstRecord(VerifyingConsumer consumer, Publisher publisher) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
		while (consumer.unique() == 0) {
			if (!publisher.isAlive()) {
				throw new IllegalStateException(
						"the " + publisher.name() + " exited before publishing anything; see " + publisher.log());
			}
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException(
						"the " + publisher.name() + " published nothing within 120 s; see " + publisher.log());
			}
			Thread.sleep(20);
		}
	}

	/**
	 * (d): fixed rates with the relay streaming, each to a topic of its own: 2,000 and 10,000
	 * events/s, then the highest sustained rate, searched from an unthrottled probe of the writers
	 * (90 % of what they reached, then 15 % less at each failure). When the quiet 10,000 events/s
	 * was not sustained, the search above it is left out: the probe would only show the same
	 * saturated machine again.
	 */
	private void latency(Topics topics, Database database, RelayProcess relay, long walsender) throws Exception {
		Runs.Latency highest = fixedRates(topics, database, relay, walsender, BenchOptions.LIVE_RATES, "",
				PeerComparison.RELAY);
		if (!highest.sustained()) {
			step(String.format(Locale.ROOT, "(d) no search above %,.0f/s: not sustained there", highest.offered()));
			return;
		}
		Runs.Latency probe = latencyRun(topics, database, 0, relay, walsender, false, "", null);
		checkAlive(relay);
		double rate = Math.floor(probe.write().rate() * 0.9 / 500) * 500;
		for (int step = 0; step < this.options.ladderSteps() && rate > 10_000; step++) {
			Runs.Latency run = latencyRun(topics, database, rate, relay, walsender, false, "", null);
			this.report.latency(run);
			checkAlive(relay);
			if (run.sustained()) {
				break;
			}
			rate = Math.floor(rate * 0.85 / 500) * 500;
		}
	}

	/**
	 * Each fixed rate on the quiet machine, then at once the same rate on the busy machine
	 * ({@link BusyNeighbour}, started for that run and stopped after it): so that the relay's and
	 * every peer's busy runs come in the same place, right after their quiet run of the rate. Only
	 * the rates of {@link BenchOptions#busyRates()} run busy.
	 * @param label {@link PeerComparison#RELAY} or the peer's name
	 * @return the quiet run of the last rate
	 */
	private Runs.Latency fixedRates(Topics topics, Database database, Publisher publisher, long walsender, List<Double> rates,
			String prefix, String label) throws Exception {
		Runs.@Nullable Latency quiet = null;
		for (double rate : rates) {
			quiet = latencyRun(topics, database, rate, publisher, walsender, quiet == null, prefix, null);
			record(label, quiet);
			checkAlive(publisher);
			if (!this.options.busyRates().contains(rate)) {
				continue;
			}
			step(String.format(Locale.ROOT, "(d) %s on the busy machine: pgbench on database bench_busy, %d clients at "
					+ "%d tx/s", label, BusyNeighbour.CLIENTS, BusyNeighbour.TRANSACTIONS_PER_SECOND));
			try (BusyNeighbour neighbour = BusyNeighbour.start(this.server, this.options.pgBin(),
					this.logs.resolve("pgbench-busy-" + label + ".log"))) {
				record(label, latencyRun(topics, database, rate, publisher, walsender, false, prefix, neighbour));
				checkAlive(publisher);
			}
		}
		if (quiet == null) {
			throw new IllegalArgumentException("no fixed rates to run for " + label);
		}
		return quiet;
	}

	private void record(String label, Runs.Latency run) {
		if (label.equals(PeerComparison.RELAY)) {
			this.report.latency(run);
		}
		(run.busy() ? this.report.busyPeers() : this.report.peers()).live(label, live(run, label));
	}

	private static void checkAlive(Publisher publisher) {
		if (!publisher.isAlive()) {
			throw new IllegalStateException("the " + publisher.name() + " exited; see " + publisher.log());
		}
	}

	/**
	 * One fixed-rate run; rate 0 is the unthrottled probe, which is not reported.
	 * @param jitWarmup whether this is the publisher's first live rate, which gets the extra JIT warm-up
	 * @param prefix of the aggregate type, so that each publisher's live events go to topics of its own
	 * @param neighbour the busy machine's load, or {@code null} on the quiet machine
	 */
	private Runs.Latency latencyRun(Topics topics, Database database, double rate, Publisher publisher, long walsender,
			boolean jitWarmup, String prefix, @Nullable BusyNeighbour neighbour) throws Exception {
		String aggregateType = prefix + ((rate > 0) ? ((neighbour != null) ? "busy" : "lat") + (long) rate : "probe");
		String topic = "outbox.event." + aggregateType;
		topics.createWithAppendTime(topic);
		double warmup = (rate > 0) ? this.options.latencyWarmupSeconds() : 0;
		if (rate > 0 && jitWarmup) {
			warmup += this.options.jitWarmupSeconds();
		}
		String process = publisher.name();
		long pid = publisher.pid();
		try (VerifyingConsumer consumer = new VerifyingConsumer(this.options.bootstrap(), topic,
				BenchOptions.AGGREGATES)) {
			OutboxWriter writer = new OutboxWriter(database, aggregateType, BenchOptions.AGGREGATES,
					BenchOptions.WRITER_THREADS);
			long warmupEvents = (warmup > 0) ? writer.fixedRate(rate, warmup, 1).events() : 0;
			consumer.measureLatencyFrom(warmupEvents); // the writer numbers its events on from there
			int neighbourMark = (neighbour != null) ? neighbour.mark() : 0;
			MachineLoad.Mark mark = this.load.mark();
			try (RunQueueWaits waits = new RunQueueWaits(pathPids(publisher, walsender))) {
				Instant measuredFrom = Instant.now(); // after the first sample
				Map<String, Double> cpuAtStart = cpuSplit(process, pid, walsender);
				Map<String, Long> threadsAtStart = ProcFs.threadTicks(pid);
				OutboxWriter.Result write = (rate > 0) ? writer.fixedRate(rate, this.options.latencySeconds(), 1)
						: writer.fixedRate(0, Math.min(3, this.options.latencySeconds()), 1);
				Map<String, Double> cpu = difference(cpuAtStart, cpuSplit(process, pid, walsender));
				Map<String, Double> threads = threadCpu(threadsAtStart, ProcFs.threadTicks(pid));
				long writerDone = System.nanoTime();
				VerifyingConsumer.Result consumed = consumer.await(warmupEvents + write.events(), Duration.ofSeconds(10));
				Instant measuredTo = Instant.now();
				waits.close(); // its last sample comes after measuredTo; closing again does nothing
				MachineLoad.Phase phase = this.load.since(mark);
				BusyNeighbour.Achieved achieved = null;
				if (neighbour != null) {
					if (!neighbour.isAlive()) {
						throw new IllegalStateException("the busy machine's pgbench ended; see "
								+ this.logs.resolve("pgbench-busy.log"));
					}
					achieved = neighbour.since(neighbourMark);
				}
				double catchUp = (consumed.lastNanos() - writerDone) / 1e9;
				boolean writerKept = write.rate() >= 0.95 * rate;
				boolean relayKept = consumed.complete() && catchUp < 2;
				String limit = (writerKept && relayKept) ? "" : !relayKept ? process + " behind" : "writers";
				Percentiles.Snapshot latency = consumed.latencyMicros();
				say(String.format(Locale.ROOT,
						"(d) %s%s%s: wrote %,.0f/s; p50 %.1f ms (%.1f to the broker), p99 %.1f ms, max %.1f ms; %,d missing, %,d duplicates%s",
						prefix.isEmpty() ? "" : process + ", ",
						(rate > 0) ? String.format(Locale.ROOT, "offered %,.0f/s", rate) : "unthrottled probe",
						(achieved != null) ? " on the busy machine (" + achieved.describe() + ")" : "", write.rate(),
						latency.percentile(50) / 1e3, consumed.toBrokerMicros().percentile(50) / 1e3,
						latency.percentile(99) / 1e3, latency.max() / 1e3, consumed.missing(), consumed.duplicates(),
						(rate > 0 && !limit.isEmpty()) ? " - not sustained (" + limit + ")" : ""));
				say("      worst latency per second, ms: " + consumer.worstMillisBySecond());
				say("        of which commit -> broker, ms: " + consumer.worstToBrokerMillisBySecond());
				Map<String, List<GcLog.Pause>> pauses = gcPauses(publisher);
				say("      slowest seconds and the GC pauses that could have held them: "
						+ SlowSeconds.describe(consumer.worstBySecond(), consumer.worstToBrokerBySecond(),
								pauses.values().stream().flatMap(List::stream).toList(), waits::waited, 3));
				say("        GC pauses in the run: " + SlowSeconds.summary(pauses, measuredFrom, measuredTo));
				say("        waited for a CPU per second of the run, on average: "
						+ waits.waitedPerSecond(measuredFrom, measuredTo));
				say("      CPU, % of one core: " + Runs.Latency.cpuShares(cpu, write.seconds()));
				Map<String, Double> busiest = new LinkedHashMap<>();
				threads.entrySet().stream().limit(6).forEach((thread) -> busiest.put(thread.getKey(), thread.getValue()));
				say("        " + process + "'s busiest threads: " + Runs.Latency.cpuShares(busiest, write.seconds()));
				return new Runs.Latency(rate, write, consumed, writerKept && relayKept, limit, phase, cpu, achieved);
			}
		}
	}

	/**
	 * @param publisher the process measured
	 * @return the GC pauses of the processes on a live event's path: the publisher, the broker
	 * and the harness, whose consumer receives it (the broker's and the harness's GC logs are
	 * where {@code scripts/bench.sh} asks their JVMs to write them)
	 */
	private Map<String, List<GcLog.Pause>> gcPauses(Publisher publisher) {
		Map<String, List<GcLog.Pause>> pauses = new LinkedHashMap<>();
		pauses.put(publisher.name(), GcLog.pauses(publisher.name(), publisher.gcLog()));
		pauses.put("broker", GcLog.pauses("broker", this.options.work().resolve("gc-broker.log")));
		pauses.put("harness", GcLog.pauses("harness", this.options.work().resolve("gc-harness.log")));
		return pauses;
	}

	/**
	 * @param publisher the process measured
	 * @param walsender its walsender's pid, 0 when unknown
	 * @return the processes on a live event's path whose waits for a CPU are sampled
	 */
	private Map<String, Long> pathPids(Publisher publisher, long walsender) {
		Map<String, Long> pids = new LinkedHashMap<>();
		pids.put(publisher.name(), publisher.pid());
		pids.put("walsender", walsender);
		pids.put("broker", this.options.brokerPid());
		pids.put("harness", ProcessHandle.current().pid());
		return pids;
	}

	/** (e): the JPA application in a JVM of its own, in a fresh database, then pgbench. */
	private void writePath() throws Exception {
		step("(e) write path: JPA order + no event / 1 / 10 @OutboxEvents, in table, message and retain mode");
		Database database = this.server.recreate("bench_jpa");
		List<String> command = new ArrayList<>(
				List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx768m"));
		// Extra options of this JVM, for example a flight recording of the starter's write path.
		String extra = System.getenv().getOrDefault("OUTBOX_BENCH_WRITE_PATH_JVM_OPTS", "").trim();
		if (!extra.isEmpty()) {
			command.addAll(List.of(extra.split("\\s+")));
		}
		command.addAll(List.of("-cp", System.getProperty("java.class.path"),
				"dev.outbox.bench.writepath.WritePathApplication", database.jdbcUrl(), database.user(),
				Integer.toString(WRITE_PATH_THREADS), Double.toString(this.options.writePathWarmup()),
				Double.toString(this.options.writePathSeconds()), Integer.toString(this.options.writePathRounds())));
		MachineLoad.Mark mark = this.load.mark();
		Process process = new ProcessBuilder(command).redirectError(
				ProcessBuilder.Redirect.appendTo(this.logs.resolve("write-path.log").toFile()))
			.start();
		WritePathLines lines = new WritePathLines();
		try (BufferedReader output = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = output.readLine()) != null) {
				lines.accept(line);
			}
		}
		WritePathLines.Sample sample = lines.sample();
		if (process.waitFor() != 0 || lines.results().size() != WritePathVariant.all().size() || sample == null) {
			throw new IllegalStateException("the write-path application failed; see " + this.logs.resolve("write-path.log"));
		}
		for (Runs.WritePath variant : lines.results()) {
			say(String.format(Locale.ROOT,
					"%-18s %,.0f tx/s %s, %.0f %% of none, %,.0f WAL bytes/tx; CPU per tx: JVM %.0f us, PostgreSQL %.0f us",
					variant.variant().label(), variant.tps(), variant.tpsRounds(), variant.ofNone() * 100,
					variant.walBytesPerTransaction(), variant.jvmCpuPerTransaction(),
					variant.postgresCpuPerTransaction()));
		}
		awaitNoSessions(database);
		Map<WriteMode, TableActivity> tables = new LinkedHashMap<>();
		tables.put(WriteMode.TABLE, TableActivity.read(database, WritePathScripts.TABLE));
		tables.put(WriteMode.RETAIN, TableActivity.read(database, WritePathScripts.RETAIN_TABLE));
		tables.forEach((mode, activity) -> say(String.format(Locale.ROOT,
				"%s mode's table: %,d inserted, %,d deleted, %,d dead now, %d autovacuums, %,d bytes; %,d events written",
				mode.property(), activity.inserted(), activity.deleted(), activity.deadNow(), activity.autovacuums(),
				activity.totalBytes(), lines.written().getOrDefault(mode, 0L))));
		// pgbench starts as the JPA application did, on empty tables: left as they are, the JPA
		// run's hundreds of MB and dead tuples keep autovacuum busy through pgbench's rounds, which
		// slows them unevenly and adds the vacuum's CPU to every variant's PostgreSQL share.
		database.execute("TRUNCATE bench_order_line, bench_order, " + WritePathScripts.TABLE + ", "
				+ WritePathScripts.RETAIN_TABLE);
		database.execute("VACUUM ANALYZE");
		step("(e) PostgreSQL's share: the same transaction and the same event SQL by pgbench");
		List<Runs.PostgresWritePath> postgres = PostgresWritePath.run(this.options.pgBin(), database, sample,
				WRITE_PATH_THREADS, this.options.writePathSeconds(), this.options.writePathRounds(), this.logs,
				this.logs.resolve("pgbench.log"));
		for (Runs.PostgresWritePath variant : postgres) {
			say(String.format(Locale.ROOT,
					"%-18s %,.0f tx/s %s, %.0f %% of the order alone; CPU per tx: pgbench %.0f us, PostgreSQL %.0f us",
					variant.variant().label(), variant.tps(), variant.tpsRounds(), variant.ofNone() * 100,
					variant.clientCpuPerTransaction(), variant.postgresCpuPerTransaction()));
		}
		this.report.writePath(lines.results(), postgres, tables, lines.written(), this.load.since(mark));
	}

	/** Waits until the JPA application's sessions are gone, so their table statistics are flushed. */
	private static void awaitNoSessions(Database database) throws Exception {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (database.queryLong("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
				+ "AND pid <> pg_backend_pid() AND backend_type = 'client backend'") > 0) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("the write-path application's sessions did not end within 30 s");
			}
			Thread.sleep(50);
		}
	}

	/** CPU seconds so far of each process taking part in a drain, and of the whole machine. */
	private Map<String, Double> cpuSplit(String name, long publisher, long walsender) {
		Map<String, Double> cpu = new LinkedHashMap<>();
		cpu.put(name, ProcFs.cpuSeconds(publisher));
		cpu.put("walsender", (walsender > 0) ? ProcFs.cpuSeconds(walsender) : 0);
		cpu.put("broker", (this.options.brokerPid() > 0) ? ProcFs.cpuSeconds(this.options.brokerPid()) : 0);
		cpu.put("consumer (harness JVM)", ProcFs.cpuSeconds(ProcessHandle.current().pid()));
		cpu.put("machine", ProcFs.machineBusyTicks() / (double) ProcFs.TICKS_PER_SECOND);
		return cpu;
	}

	private static Map<String, Double> difference(Map<String, Double> first, Map<String, Double> last) {
		Map<String, Double> difference = new LinkedHashMap<>();
		last.forEach((name, value) -> difference.put(name, value - first.getOrDefault(name, 0.0)));
		double named = difference.entrySet()
			.stream()
			.filter((entry) -> !entry.getKey().equals("machine"))
			.mapToDouble(Map.Entry::getValue)
			.sum();
		difference.put("everything else", difference.getOrDefault("machine", 0.0) - named);
		return difference;
	}

	/** CPU seconds per relay thread name between two snapshots, largest first. */
	private static Map<String, Double> threadCpu(Map<String, Long> first, Map<String, Long> last) {
		Map<String, Double> cpu = new LinkedHashMap<>();
		last.entrySet()
			.stream()
			.map((entry) -> Map.entry(entry.getKey(), (entry.getValue() - first.getOrDefault(entry.getKey(), 0L))
					/ (double) ProcFs.TICKS_PER_SECOND))
			.filter((entry) -> entry.getValue() > 0)
			.sorted(Map.Entry.<String, Double>comparingByValue().reversed())
			.forEach((entry) -> cpu.put(entry.getKey(), entry.getValue()));
		return cpu;
	}

	private static long walsenderPid(Database database, String slot) {
		try {
			return database.walsenderPid(slot);
		}
		catch (Exception ex) {
			return 0;
		}
	}

	private static void step(String text) {
		System.out.println("bench: " + text);
	}

	private static void say(String text) {
		System.out.println("bench:   " + text);
	}

}
