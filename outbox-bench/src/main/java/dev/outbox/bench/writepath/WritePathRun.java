package dev.outbox.bench.writepath;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import javax.sql.DataSource;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ApplicationContext;

import dev.outbox.bench.PostgresCpu;
import dev.outbox.bench.ProcFs;
import dev.outbox.bench.RoundRatios;
import dev.outbox.bench.WriteMode;
import dev.outbox.bench.WritePathVariant;
import dev.outbox.starter.OutboxHeadersContributor;

/**
 * Measures variants of (e) against the contexts of {@link WritePathApplication}: the variant
 * without an event runs in the table-mode context (no outbox code runs then), each mode's
 * variants in that mode's context. Counts the events each mode writes.
 */
final class WritePathRun {

	private final Map<WriteMode, PlaceOrders> orders;

	private final ApplicationContext tableContext;

	private final DataSource dataSource;

	private final int threads;

	private final PostgresCpu postgres;

	private final long self = ProcessHandle.current().pid();

	private final Map<WriteMode, AtomicLong> written = new EnumMap<>(WriteMode.class);

	WritePathRun(Map<WriteMode, PlaceOrders> orders, ApplicationContext tableContext, int threads)
			throws SQLException {
		this.orders = orders;
		this.tableContext = tableContext;
		this.dataSource = tableContext.getBean(DataSource.class);
		try (Connection connection = this.dataSource.getConnection()) {
			this.postgres = PostgresCpu.of(connection);
		}
		this.threads = threads;
		for (WriteMode mode : WriteMode.values()) {
			this.written.put(mode, new AtomicLong());
		}
	}

	/**
	 * Runs a variant from every thread for a while.
	 * @return transactions per second, transactions, WAL bytes, this JVM's CPU ticks, PostgreSQL's
	 * CPU ticks
	 */
	double[] measure(WritePathVariant variant, double seconds) throws Exception {
		WriteMode mode = variant.mode();
		PlaceOrders service = this.orders.get((mode != null) ? mode : WriteMode.TABLE);
		AtomicLong done = new AtomicLong();
		AtomicReference<Throwable> failure = new AtomicReference<>();
		long walBefore = walLsn();
		long jvmBefore = ProcFs.stat(this.self).ticks();
		long postgresBefore = this.postgres.ticks();
		long start = System.nanoTime();
		long end = start + (long) (seconds * 1e9);
		List<Thread> workers = new ArrayList<>();
		for (int t = 0; t < this.threads; t++) {
			String customer = "customer-" + t;
			Thread worker = new Thread(() -> {
				try {
					while (System.nanoTime() < end) {
						switch (variant.events()) {
							case 0 -> service.withoutEvent(customer);
							case 1 -> service.withOneEvent(customer);
							default -> service.withTenEvents(customer);
						}
						done.incrementAndGet();
					}
				}
				catch (Throwable ex) {
					failure.compareAndSet(null, ex);
				}
			});
			worker.start();
			workers.add(worker);
		}
		for (Thread worker : workers) {
			worker.join();
		}
		double elapsed = (System.nanoTime() - start) / 1e9;
		long jvmTicks = ProcFs.stat(this.self).ticks() - jvmBefore;
		long postgresTicks = this.postgres.ticks() - postgresBefore;
		if (failure.get() != null) {
			throw new IllegalStateException("write path failed in " + variant.label(), failure.get());
		}
		if (mode != null) {
			this.written.get(mode).addAndGet(done.get() * variant.events());
		}
		long wal = walLsn() - walBefore;
		return new double[] { done.get() / elapsed, done.get(), wal, jvmTicks, postgresTicks };
	}

	/**
	 * One {@code RESULT} line per variant.
	 * @param byVariant each variant's rounds in run order, as {@link #measure} returns them
	 * @return the lines
	 */
	static List<String> resultLines(Map<WritePathVariant, List<double[]>> byVariant) {
		double[] noEvent = tpsInRunOrder(byVariant.get(WritePathVariant.NONE));
		List<String> lines = new ArrayList<>();
		for (Map.Entry<WritePathVariant, List<double[]>> variant : byVariant.entrySet()) {
			List<double[]> runs = variant.getValue();
			double[] tps = tpsInRunOrder(runs);
			double transactions = runs.stream().mapToDouble((run) -> run[1]).sum();
			double wal = runs.stream().mapToDouble((run) -> run[2]).sum();
			lines.add(String.format(Locale.ROOT,
					"RESULT {\"mode\": \"%s\", \"events\": %d, \"tps\": %.1f, \"tpsRounds\": \"%s\", \"transactions\": %.0f, "
							+ "\"walBytesPerTx\": %.1f, \"ofNone\": %.4f, \"jvmCpuUsPerTx\": %.1f, \"pgCpuUsPerTx\": %.1f}",
					variant.getKey().modeName(), variant.getKey().events(), RoundRatios.median(tps),
					RoundRatios.rounded(tps), transactions, wal / Math.max(1, transactions),
					RoundRatios.medianRatio(tps, noEvent), cpuPerTransaction(runs, 3), cpuPerTransaction(runs, 4)));
		}
		return lines;
	}

	/** @return one {@code WRITTEN} line per mode */
	List<String> writtenLines() {
		List<String> lines = new ArrayList<>();
		this.written.forEach((mode, events) -> lines.add(String.format(Locale.ROOT,
				"WRITTEN {\"mode\": \"%s\", \"events\": %d}", mode.property(), events.get())));
		return lines;
	}

	/** @return the {@code SAMPLE} line: an event's payload and headers as the starter serializes them */
	String sampleLine() {
		JsonMapper json = this.tableContext.getBeanProvider(JsonMapper.class)
			.getIfUnique(() -> JsonMapper.builder().build());
		String payload = json.writeValueAsString(BenchOrder.place("customer-0", Instant.now()).placedEvent());
		Map<String, String> headers = new LinkedHashMap<>();
		for (OutboxHeadersContributor contributor : this.tableContext.getBeanProvider(OutboxHeadersContributor.class)
			.orderedStream()
			.toList()) {
			contributor.contribute(headers);
		}
		return "SAMPLE {\"payload\": " + payload + ", \"headers\": "
				+ (headers.isEmpty() ? "null" : json.writeValueAsString(headers)) + "}";
	}

	/** @return the median over the rounds of a CPU column's microseconds per transaction */
	private static double cpuPerTransaction(List<double[]> runs, int column) {
		return RoundRatios.median(runs.stream()
			.mapToDouble((run) -> PostgresCpu.microsPerTransaction((long) run[column], run[1]))
			.toArray());
	}

	private static double[] tpsInRunOrder(List<double[]> runs) {
		return runs.stream().mapToDouble((run) -> run[0]).toArray();
	}

	private long walLsn() throws SQLException {
		try (Connection connection = this.dataSource.getConnection(); Statement statement = connection.createStatement();
				ResultSet row = statement.executeQuery("SELECT (pg_current_wal_lsn() - '0/0')::bigint")) {
			row.next();
			return row.getLong(1);
		}
	}

}
