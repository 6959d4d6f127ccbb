package dev.outbox.bench.writepath;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import javax.sql.DataSource;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

import dev.outbox.bench.RoundRatios;

/**
 * (e) The write path, run by the harness as a child JVM: a Spring Boot application with JPA and
 * the starter that places orders with no event, one {@code @OutboxEvent} and ten, from several
 * threads, in interleaved rounds (so a burst of load from elsewhere hits all three alike), and
 * prints one {@code RESULT} line per variant: transactions per second (the median of the
 * rounds, listed in run order), its ratio to no event (the median of the per-round ratios, see
 * {@link RoundRatios}) and WAL bytes per transaction ({@code pg_current_wal_lsn()} difference).
 * <p>
 * Arguments: JDBC URL, user, threads, warm-up seconds, seconds per round, rounds.
 */
@SpringBootApplication
public class WritePathApplication {

	/** The variants, by events per transaction. */
	static final int[] EVENTS = { 0, 1, 10 };

	public static void main(String[] args) throws Exception {
		String url = args[0];
		String user = args[1];
		int threads = Integer.parseInt(args[2]);
		double warmup = Double.parseDouble(args[3]);
		double seconds = Double.parseDouble(args[4]);
		int rounds = Integer.parseInt(args[5]);
		SpringApplication application = new SpringApplication(WritePathApplication.class);
		application.setDefaultProperties(Map.of("spring.main.web-application-type", "none",
				"spring.main.banner-mode", "off", "spring.datasource.url", url, "spring.datasource.username", user,
				"spring.datasource.hikari.maximum-pool-size", threads, "spring.jpa.hibernate.ddl-auto", "create",
				"spring.jpa.open-in-view", false));
		try (ConfigurableApplicationContext context = application.run()) {
			PlaceOrders orders = context.getBean(PlaceOrders.class);
			DataSource dataSource = context.getBean(DataSource.class);
			for (int events : EVENTS) {
				measure(orders, dataSource, events, threads, warmup);
			}
			Map<Integer, List<double[]>> byVariant = new LinkedHashMap<>();
			for (int round = 0; round < rounds; round++) {
				for (int events : EVENTS) {
					byVariant.computeIfAbsent(events, (key) -> new ArrayList<>())
						.add(measure(orders, dataSource, events, threads, seconds));
				}
			}
			double[] noEvent = tpsInRunOrder(byVariant.get(0));
			for (Map.Entry<Integer, List<double[]>> variant : byVariant.entrySet()) {
				List<double[]> runs = variant.getValue();
				double[] tps = tpsInRunOrder(runs);
				double transactions = runs.stream().mapToDouble((run) -> run[1]).sum();
				double wal = runs.stream().mapToDouble((run) -> run[2]).sum();
				System.out.println(String.format(Locale.ROOT,
						"RESULT {\"events\": %d, \"tps\": %.1f, \"tpsRounds\": %s, \"transactions\": %.0f, "
								+ "\"walBytesPerTx\": %.1f, \"ofNone\": %.4f}",
						variant.getKey(), RoundRatios.median(tps), RoundRatios.rounded(tps), transactions,
						wal / transactions, RoundRatios.medianRatio(tps, noEvent)));
			}
		}
	}

	private static double[] tpsInRunOrder(List<double[]> runs) {
		return runs.stream().mapToDouble((run) -> run[0]).toArray();
	}

	/** @return transactions per second, transactions, WAL bytes */
	private static double[] measure(PlaceOrders orders, DataSource dataSource, int events, int threads, double seconds)
			throws Exception {
		AtomicLong done = new AtomicLong();
		AtomicReference<Throwable> failure = new AtomicReference<>();
		long walBefore = walLsn(dataSource);
		long start = System.nanoTime();
		long end = start + (long) (seconds * 1e9);
		List<Thread> workers = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			String customer = "customer-" + t;
			Thread worker = new Thread(() -> {
				try {
					while (System.nanoTime() < end) {
						switch (events) {
							case 0 -> orders.withoutEvent(customer);
							case 1 -> orders.withOneEvent(customer);
							default -> orders.withTenEvents(customer);
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
		if (failure.get() != null) {
			throw new IllegalStateException("write path failed", failure.get());
		}
		long wal = walLsn(dataSource) - walBefore;
		return new double[] { done.get() / elapsed, done.get(), wal };
	}

	private static long walLsn(DataSource dataSource) throws SQLException {
		try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
				ResultSet row = statement.executeQuery("SELECT (pg_current_wal_lsn() - '0/0')::bigint")) {
			row.next();
			return row.getLong(1);
		}
	}

}
