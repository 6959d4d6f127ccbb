package dev.outbox.failuresuite.readmodel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import dev.outbox.failuresuite.lab.Capture;
import dev.outbox.failuresuite.rig.Rig;
import dev.outbox.failuresuite.workload.WorkloadApplication;
import dev.outbox.testsupport.JavaProcess;

import static org.awaitility.Awaitility.await;

/**
 * Measures the polling captures fairly, with no fault: for each capture and poll interval, one
 * writer commits changes at a fixed rate while the poller runs, and a consumer in the same JVM
 * takes each change's latency from the writer's commit to its consumption. Database load: the
 * poller's own count of polls (queries of the polled table per second) and the rows PostgreSQL read
 * from the polled table ({@code pg_stat_user_tables}: {@code seq_tup_read + idx_tup_fetch}) per
 * second, the writer's own index look-ups included for {@code rm_item}.
 * <p>
 * Arguments: {@code [seconds per run (20)] [changes per second (200)] [intervals in ms (10,100,500)]}.
 * Run from the project's root; writes {@code bench/results/lab-pollers.md}.
 */
public final class PollerBench {

	private static final Duration WARM_UP = Duration.ofSeconds(3);

	private PollerBench() {
	}

	/**
	 * @param args see the class comment
	 */
	public static void main(String[] args) {
		int seconds = (args.length > 0) ? Integer.parseInt(args[0]) : 20;
		int rate = (args.length > 1) ? Integer.parseInt(args[1]) : 200;
		List<Long> intervals = new ArrayList<>();
		for (String interval : ((args.length > 2) ? args[2] : "10,100,500").split(",")) {
			intervals.add(Long.parseLong(interval.trim()));
		}
		List<String> rows = new ArrayList<>();
		try (Rig rig = Rig.start(Path.of("outbox-failure-suite", "target", "lab", "bench"),
				Path.of("outbox-relay", "target", "outbox-relay.jar"), List.of())) {
			for (Capture capture : List.of(Capture.POLLING_TABLE, Capture.POLLING_OUTBOX)) {
				for (long interval : intervals) {
					String row = measure(rig, capture, interval, seconds, rate);
					System.out.println(row);
					rows.add(row);
				}
			}
		}
		String table = "| capture | interval | changes/s | p50 (ms) | p99 (ms) | max (ms) | polls/s | rows read/s |\n"
				+ "|---|---:|---:|---:|---:|---:|---:|---:|\n" + String.join("\n", rows) + "\n";
		String report = "# Lab: the pollers measured\n\n" + "Run " + Instant.now() + ", " + seconds + " s per run after a "
				+ WARM_UP.toSeconds() + " s warm-up, one writer at " + rate + " changes/s, "
				+ Runtime.getRuntime().availableProcessors() + " CPUs (`scripts/lab-pollers.sh`).\n\n" + table;
		try {
			Files.createDirectories(Path.of("bench", "results"));
			Files.writeString(Path.of("bench", "results", "lab-pollers.md"), report);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		System.out.println("\n" + table);
	}

	private static String measure(Rig rig, Capture capture, long interval, int seconds, int rate) {
		String name = "lab_bench_" + capture.option().replace('-', '_') + "_" + interval;
		rig.createDatabase(name);
		String topic = name.replace('_', '-');
		rig.createTopic(topic);
		ConfigurableApplicationContext application = WorkloadApplication.start(rig.jdbcUrl(name), 4, "table");
		JavaProcess poller = null;
		try {
			JdbcTemplate jdbc = application.getBean(JdbcTemplate.class);
			TransactionTemplate transactions = application.getBean(TransactionTemplate.class);
			ReadModelSchema.create(jdbc);
			Map<String, Long> committedAt = new ConcurrentHashMap<>();
			List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
			LatencyConsumer consumer = new LatencyConsumer(rig.kafka().bootstrapServers(), topic, committedAt, latencies);
			poller = new JavaProcess("bench poller", JavaProcess.currentClasspath(),
					List.of("-Xmx128m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"), PollerService.class.getName(),
					List.of((capture == Capture.POLLING_TABLE) ? "table" : "outbox", rig.jdbcUrl(name),
							rig.kafka().bootstrapServers(), topic, String.valueOf(interval), "500"),
					rig.logs().resolve(name + "-poller.log"));
			poller.start();
			String table = (capture == Capture.POLLING_TABLE) ? "rm_item" : "rm_outbox";
			ItemWrites writes = new ItemWrites(jdbc, capture == Capture.POLLING_OUTBOX, null, null);
			long nanosPerChange = TimeUnit.SECONDS.toNanos(1) / rate;
			long start = System.nanoTime();
			long measureFrom = start + WARM_UP.toNanos();
			long end = measureFrom + TimeUnit.SECONDS.toNanos(seconds);
			long[] before = null;
			Instant measuredFrom = null;
			long due = start;
			long id = 0;
			while (System.nanoTime() < end) {
				if (before == null && System.nanoTime() >= measureFrom) {
					before = load(jdbc, table, poller);
					measuredFrom = Instant.now();
					consumer.measure();
				}
				long item = ++id;
				ItemChange change = transactions.execute((status) -> writes.upsert(item, "v" + item));
				committedAt.put(change.event(), System.nanoTime());
				due += nanosPerChange;
				long wait = due - System.nanoTime();
				if (wait > 0) {
					LockSupport.parkNanos(wait);
				}
			}
			long[] after = load(jdbc, table, poller);
			double elapsed = Duration.between(measuredFrom, Instant.now()).toMillis() / 1000.0;
			long committed = id;
			await("the consumer receiving every change").atMost(Duration.ofMinutes(1))
				.pollInterval(Duration.ofMillis(100))
				.until(() -> consumer.received() >= committed);
			consumer.close();
			List<Long> sorted = new ArrayList<>(latencies);
			Collections.sort(sorted);
			return String.format(Locale.ROOT, "| `%s` | %d ms | %d | %.1f | %.1f | %.1f | %.1f | %.0f |", capture.option(),
					interval, rate, percentile(sorted, 0.50), percentile(sorted, 0.99), percentile(sorted, 1.0),
					(after[0] - before[0]) / elapsed, (after[1] - before[1]) / elapsed);
		}
		finally {
			if (poller != null) {
				poller.kill();
			}
			application.close();
			rig.dropDatabase(name, name);
		}
	}

	/** @return {polls so far (the poller's own count), rows read from the polled table so far} */
	private static long[] load(JdbcTemplate jdbc, String table, JavaProcess poller) {
		Long read = jdbc.queryForObject("SELECT coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0) "
				+ "FROM pg_stat_user_tables WHERE relname = ?", Long.class, table);
		long polls = 0;
		try {
			for (String line : Files.readAllLines(poller.logFile())) {
				if (line.endsWith(" rows sent")) {
					polls = Long.parseLong(line.split(" ")[1]);
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return new long[] { polls, (read != null) ? read : 0 };
	}

	private static double percentile(List<Long> sorted, double fraction) {
		if (sorted.isEmpty()) {
			return Double.NaN;
		}
		int index = (int) Math.min(sorted.size() - 1, Math.ceil(fraction * sorted.size()) - 1);
		return sorted.get(Math.max(0, index)) / 1_000_000.0;
	}

	/** Takes, per record, the time since the writer's commit of its change (the same JVM's clock). */
	private static final class LatencyConsumer implements AutoCloseable {

		private final Thread thread;

		private final Map<String, Long> committedAt;

		private final List<Long> latencies;

		private volatile boolean measuring;

		private volatile boolean running = true;

		private volatile long received;

		LatencyConsumer(String bootstrapServers, String topic, Map<String, Long> committedAt, List<Long> latencies) {
			this.committedAt = committedAt;
			this.latencies = latencies;
			KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
					ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ConsumerConfig.GROUP_ID_CONFIG, topic + "-bench",
					ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer());
			consumer.subscribe(List.of(topic));
			this.thread = new Thread(() -> {
				try (consumer) {
					while (this.running) {
						for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(5))) {
							long now = System.nanoTime();
							Long committed = this.committedAt.get(ItemChange.parse(record.value()).event());
							if (this.measuring && committed != null) {
								this.latencies.add(now - committed);
							}
							this.received++;
						}
					}
				}
			}, "bench-latency-consumer");
			this.thread.setDaemon(true);
			this.thread.start();
		}

		void measure() {
			this.measuring = true;
		}

		long received() {
			return this.received;
		}

		@Override
		public void close() {
			this.running = false;
			try {
				this.thread.join(TimeUnit.SECONDS.toMillis(10));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

	}

}
