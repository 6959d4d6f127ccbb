package dev.outbox.bench.writepath;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

import dev.outbox.bench.RoundRatios;
import dev.outbox.bench.WriteMode;
import dev.outbox.bench.WritePathLines;
import dev.outbox.bench.WritePathScripts;
import dev.outbox.bench.WritePathVariant;

/**
 * (e) The write path, run by the harness as a child JVM: a Spring Boot application with JPA and
 * the starter, once per write mode (three contexts alive at once against one database, each with
 * its own pool and {@code outbox.write-mode}), placing orders with no event and with 1 and 10
 * {@code @OutboxEvent}s from several threads in interleaved rounds: each round runs every
 * {@link WritePathVariant} once, so a burst of load from elsewhere hits all alike. It prints the
 * lines of {@link WritePathLines}: per variant transactions per second (the median of the rounds,
 * listed in run order), its ratio to no event (the median of the per-round ratios, see
 * {@link RoundRatios}) and WAL bytes per transaction ({@code pg_current_wal_lsn()} difference);
 * the events each mode wrote; and a sample event as the starter serializes it.
 * <p>
 * Table and message mode use {@code public.outbox_event} (message mode writes no row, the table
 * only names its prefix, {@code outbox:public.outbox_event}); retain mode keeps its rows in
 * {@code public.outbox_retained}, so each table's counters belong to one mode. The retain purge
 * runs once at startup (building its {@code created_at} index, an empty table has nothing to
 * delete) and not again during the measurement.
 * <p>
 * Arguments: JDBC URL, user, threads, warm-up seconds, seconds per round, rounds.
 */
@SpringBootApplication
public class WritePathApplication {

	public static void main(String[] args) throws Exception {
		String url = args[0];
		String user = args[1];
		int threads = Integer.parseInt(args[2]);
		double warmup = Double.parseDouble(args[3]);
		double seconds = Double.parseDouble(args[4]);
		int rounds = Integer.parseInt(args[5]);
		Map<WriteMode, ConfigurableApplicationContext> contexts = new EnumMap<>(WriteMode.class);
		try {
			for (WriteMode mode : WriteMode.values()) {
				contexts.put(mode, start(mode, url, user, threads));
			}
			Map<WriteMode, PlaceOrders> orders = new EnumMap<>(WriteMode.class);
			contexts.forEach((mode, context) -> orders.put(mode, context.getBean(PlaceOrders.class)));
			WritePathRun run = new WritePathRun(orders, contexts.get(WriteMode.TABLE), threads);
			System.out.println(run.sampleLine());
			for (WritePathVariant variant : WritePathVariant.all()) {
				run.measure(variant, warmup);
			}
			Map<WritePathVariant, List<double[]>> byVariant = new LinkedHashMap<>();
			for (int round = 0; round < rounds; round++) {
				for (WritePathVariant variant : WritePathVariant.all()) {
					byVariant.computeIfAbsent(variant, (key) -> new ArrayList<>()).add(run.measure(variant, seconds));
				}
			}
			for (String line : WritePathRun.resultLines(byVariant)) {
				System.out.println(line);
			}
			for (String line : run.writtenLines()) {
				System.out.println(line);
			}
		}
		finally {
			for (ConfigurableApplicationContext context : contexts.values()) {
				context.close();
			}
		}
	}

	private static ConfigurableApplicationContext start(WriteMode mode, String url, String user, int threads) {
		SpringApplication application = new SpringApplication(WritePathApplication.class);
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("spring.main.web-application-type", "none");
		properties.put("spring.main.banner-mode", "off");
		properties.put("spring.datasource.url", url);
		properties.put("spring.datasource.username", user);
		properties.put("spring.datasource.hikari.maximum-pool-size", threads);
		properties.put("spring.datasource.hikari.pool-name", "write-path-" + mode.property());
		// The first context creates the business tables, the others find them.
		properties.put("spring.jpa.hibernate.ddl-auto", (mode == WriteMode.TABLE) ? "create" : "none");
		properties.put("spring.jpa.open-in-view", false);
		properties.put("outbox.write-mode", mode.property());
		properties.put("outbox.table",
				"public." + ((mode == WriteMode.RETAIN) ? WritePathScripts.RETAIN_TABLE : WritePathScripts.TABLE));
		properties.put("outbox.flyway.history-table", "outbox_schema_history_" + mode.property());
		properties.put("outbox.retain.purge-interval", "7d");
		application.setDefaultProperties(properties);
		return application.run();
	}

}
