package dev.outbox.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * (e) PostgreSQL's own share of the write path: the business transaction of the JPA
 * application (an order row and two lines, each line's key coming back as with Hibernate's
 * identity columns) run by {@code pgbench} with prepared statements and no JVM in the way,
 * <ul>
 * <li>alone,</li>
 * <li>with one event written as the starter writes it (the same INSERT from arrays, RETURNING
 * ctid, then the DELETE by ctid), and</li>
 * <li>with the event as one transactional {@code pg_logical_emit_message} instead, a WAL record
 * without a table.</li>
 * </ul>
 * The second ratio is about the most any writer of the table contract can reach against the
 * first on this machine: the starter's JVM work only lowers it (and its DELETE is planned on every
 * execution, where pgbench prepares it). The third shows what a contract without a table row
 * would cost. The variants run in interleaved rounds, see {@link RoundRatios}.
 */
public final class PostgresWritePath {

	/** The variants, in run order, the order alone first: name and the statements after the order and its lines. */
	static final Map<String, String> VARIANTS;

	static {
		Map<String, String> variants = new LinkedHashMap<>();
		variants.put("order alone", "");
		variants.put("+ outbox INSERT+DELETE", """
				INSERT INTO outbox_event (id, aggregate_type, aggregate_id, event_type, payload, headers) \
				SELECT e.id, e.aggregate_type, e.aggregate_id, e.event_type, e.payload::jsonb, e.headers::jsonb \
				FROM unnest(ARRAY[gen_random_uuid()], ARRAY['order']::varchar[], ARRAY[:order_id::text]::varchar[], \
				ARRAY['OrderPlaced']::varchar[], ARRAY[:payload::text], ARRAY[:headers::text]) \
				WITH ORDINALITY AS e(id, aggregate_type, aggregate_id, event_type, payload, headers, ord) \
				ORDER BY e.ord RETURNING ctid \\gset
				DELETE FROM outbox_event WHERE ctid = ANY (ARRAY[:ctid::tid]);
				""");
		variants.put("+ pg_logical_emit_message", """
				SELECT pg_logical_emit_message(true, 'outbox', :payload::text);
				""");
		VARIANTS = Collections.unmodifiableMap(variants);
	}

	private static final String ORDER_AND_LINES = """
			BEGIN;
			INSERT INTO bench_order (id, customer_id, status, currency, total, created_at, version) \
			VALUES (gen_random_uuid(), 'customer-1', 'PLACED', 'EUR', 37.50, now(), 0) RETURNING id AS order_id \\gset
			INSERT INTO bench_order_line (order_id, line_no, sku, quantity, unit_price) \
			VALUES (:order_id::uuid, 1, 'BOOK-1', 2, 12.50) RETURNING id AS line_1 \\gset
			INSERT INTO bench_order_line (order_id, line_no, sku, quantity, unit_price) \
			VALUES (:order_id::uuid, 2, 'PEN-7', 5, 2.50) RETURNING id AS line_2 \\gset
			""";

	private static final Pattern TPS = Pattern.compile("^tps = ([\\d.]+) \\(without initial connection time\\)$",
			Pattern.MULTILINE);

	private static final String HEADERS = "{\"traceparent\": \"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01\"}";

	private PostgresWritePath() {
	}

	/**
	 * Runs every variant once per round, {@code rounds} times, in a database where the JPA
	 * application created {@code bench_order}, {@code bench_order_line} and the outbox table.
	 * @param pgBin PostgreSQL's bin directory, holding {@code pgbench}
	 * @param database the write-path database
	 * @param clients concurrent connections, as many as the JPA application's threads
	 * @param seconds per variant and round
	 * @param rounds rounds
	 * @param work directory for the scripts
	 * @param log pgbench's output, appended
	 * @return one result per variant, the order alone first
	 * @throws IOException if pgbench cannot run or fails
	 * @throws InterruptedException if interrupted while waiting for it
	 */
	public static List<Runs.PostgresWritePath> run(Path pgBin, Database database, int clients, double seconds,
			int rounds, Path work, Path log) throws IOException, InterruptedException {
		Map<String, double[]> tps = new LinkedHashMap<>();
		Map<String, Path> scripts = new LinkedHashMap<>();
		for (String name : VARIANTS.keySet()) {
			tps.put(name, new double[rounds]);
			Path script = work.resolve("pgbench-write-path-" + scripts.size() + ".sql");
			Files.writeString(script, script(name), StandardCharsets.UTF_8);
			scripts.put(name, script);
		}
		for (int round = 0; round < rounds; round++) {
			for (Map.Entry<String, Path> script : scripts.entrySet()) {
				tps.get(script.getKey())[round] = pgbench(pgBin, database, clients, seconds, script.getValue(), log);
			}
		}
		double[] alone = tps.values().iterator().next();
		List<Runs.PostgresWritePath> results = new ArrayList<>();
		for (Map.Entry<String, double[]> variant : tps.entrySet()) {
			double[] rates = variant.getValue();
			results.add(new Runs.PostgresWritePath(variant.getKey(), RoundRatios.median(rates),
					RoundRatios.rounded(rates), RoundRatios.medianRatio(rates, alone)));
		}
		return results;
	}

	/**
	 * The pgbench script of one variant: the order and its lines, the variant's statements,
	 * COMMIT.
	 * @param variant one of {@link #VARIANTS}' names
	 * @return the script
	 */
	static String script(String variant) {
		String statements = VARIANTS.get(variant);
		if (statements == null) {
			throw new IllegalArgumentException("no variant " + variant);
		}
		return ORDER_AND_LINES + statements + "COMMIT;\n";
	}

	/**
	 * Reads the rate from pgbench's summary.
	 * @param output pgbench's standard output
	 * @return transactions per second without connection time
	 * @throws IOException if the summary has no such line
	 */
	static double parseTps(String output) throws IOException {
		Matcher matcher = TPS.matcher(output);
		if (!matcher.find()) {
			throw new IOException("pgbench printed no \"tps = ... (without initial connection time)\" line");
		}
		return Double.parseDouble(matcher.group(1));
	}

	private static double pgbench(Path pgBin, Database database, int clients, double seconds, Path script, Path log)
			throws IOException, InterruptedException {
		List<String> command = List.of(pgBin.resolve("pgbench").toString(), "--no-vacuum", "--protocol=prepared",
				"--client=" + clients, "--jobs=" + Math.min(clients, Runtime.getRuntime().availableProcessors()),
				"--time=" + Math.max(1, Math.round(seconds)), "--define=payload=" + EventPayload.json(0, 0),
				"--define=headers=" + HEADERS, "--file=" + script, database.conninfo());
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		int exit = process.waitFor();
		Files.writeString(log, "$ " + String.join(" ", command) + "\n" + output, StandardCharsets.UTF_8,
				StandardOpenOption.CREATE, StandardOpenOption.APPEND);
		if (exit != 0 || output.contains("aborted")) {
			throw new IOException(String.format(Locale.ROOT, "pgbench failed (exit %d) on %s; see %s", exit,
					script.getFileName(), log));
		}
		return parseTps(output);
	}

}
