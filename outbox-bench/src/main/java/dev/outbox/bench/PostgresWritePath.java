package dev.outbox.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * (e) PostgreSQL's own share of the write path: the JPA application's business transaction run by
 * {@code pgbench} with prepared statements and no JVM in the way, alone and with 1 and 10 events
 * in each write mode, written with the starter's statements ({@link WritePathScripts}). A
 * variant's ratio to the order alone is about the most any writer of that mode can reach on this
 * machine: the starter's JVM work only lowers it. The variants run in interleaved rounds, see
 * {@link RoundRatios}.
 */
public final class PostgresWritePath {

	private static final Pattern TPS = Pattern.compile("^tps = ([\\d.]+) \\(without initial connection time\\)$",
			Pattern.MULTILINE);

	private static final Pattern TRANSACTIONS = Pattern.compile("^number of transactions actually processed: (\\d+)",
			Pattern.MULTILINE);

	private PostgresWritePath() {
	}

	/**
	 * Runs every variant once per round, {@code rounds} times, in a database where the JPA
	 * application created {@code bench_order}, {@code bench_order_line} and the outbox tables.
	 * @param pgBin PostgreSQL's bin directory, holding {@code pgbench}
	 * @param database the write-path database
	 * @param sample the payload and headers of the JPA application's events
	 * @param clients concurrent connections, as many as the JPA application's threads
	 * @param seconds per variant and round
	 * @param rounds rounds
	 * @param work directory for the scripts
	 * @param log pgbench's output, appended
	 * @return one result per variant, the order alone first
	 * @throws IOException if pgbench cannot run or fails
	 * @throws InterruptedException if interrupted while waiting for it
	 * @throws SQLException if the server's process cannot be found
	 */
	public static List<Runs.PostgresWritePath> run(Path pgBin, Database database, WritePathLines.Sample sample,
			int clients, double seconds, int rounds, Path work, Path log)
			throws IOException, InterruptedException, SQLException {
		Map<WritePathVariant, double[]> tps = new LinkedHashMap<>();
		Map<WritePathVariant, double[]> clientCpu = new LinkedHashMap<>();
		Map<WritePathVariant, double[]> serverCpu = new LinkedHashMap<>();
		Map<WritePathVariant, Path> scripts = new LinkedHashMap<>();
		PostgresCpu postgres;
		try (Connection connection = database.connect()) {
			postgres = PostgresCpu.of(connection);
		}
		long self = ProcessHandle.current().pid();
		for (WritePathVariant variant : WritePathVariant.all()) {
			tps.put(variant, new double[rounds]);
			clientCpu.put(variant, new double[rounds]);
			serverCpu.put(variant, new double[rounds]);
			Path script = work.resolve("pgbench-write-path-" + variant.modeName() + "-" + variant.events() + ".sql");
			Files.writeString(script, WritePathScripts.script(variant, sample.headers() != null), StandardCharsets.UTF_8);
			scripts.put(variant, script);
		}
		Map<String, String> variables = WritePathScripts.variables(sample.payload(), sample.headers());
		for (int round = 0; round < rounds; round++) {
			for (Map.Entry<WritePathVariant, Path> script : scripts.entrySet()) {
				// pgbench is this JVM's child: its CPU is in this process's reaped-children time
				// once it has been waited for.
				long clientBefore = ProcFs.stat(self).childTicks();
				long serverBefore = postgres.ticks();
				Run run = pgbench(pgBin, database, clients, seconds, script.getValue(), variables, log);
				WritePathVariant variant = script.getKey();
				tps.get(variant)[round] = run.tps();
				clientCpu.get(variant)[round] = PostgresCpu
					.microsPerTransaction(ProcFs.stat(self).childTicks() - clientBefore, run.transactions());
				serverCpu.get(variant)[round] = PostgresCpu.microsPerTransaction(postgres.ticks() - serverBefore,
						run.transactions());
			}
		}
		double[] alone = tps.get(WritePathVariant.NONE);
		List<Runs.PostgresWritePath> results = new ArrayList<>();
		for (Map.Entry<WritePathVariant, double[]> variant : tps.entrySet()) {
			double[] rates = variant.getValue();
			results.add(new Runs.PostgresWritePath(variant.getKey(), RoundRatios.median(rates),
					RoundRatios.rounded(rates), RoundRatios.medianRatio(rates, alone),
					RoundRatios.median(clientCpu.get(variant.getKey())),
					RoundRatios.median(serverCpu.get(variant.getKey()))));
		}
		return results;
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

	/**
	 * Reads the number of transactions from pgbench's summary.
	 * @param output pgbench's standard output
	 * @return transactions processed
	 * @throws IOException if the summary has no such line
	 */
	static long parseTransactions(String output) throws IOException {
		Matcher matcher = TRANSACTIONS.matcher(output);
		if (!matcher.find()) {
			throw new IOException("pgbench printed no \"number of transactions actually processed\" line");
		}
		return Long.parseLong(matcher.group(1));
	}

	private static Run pgbench(Path pgBin, Database database, int clients, double seconds, Path script,
			Map<String, String> variables, Path log) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of(pgBin.resolve("pgbench").toString(), "--no-vacuum",
				"--protocol=prepared", "--client=" + clients,
				"--jobs=" + Math.min(clients, Runtime.getRuntime().availableProcessors()),
				"--time=" + Math.max(1, Math.round(seconds))));
		variables.forEach((name, value) -> command.add("--define=" + name + "=" + value));
		command.add("--file=" + script);
		command.add(database.conninfo());
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		int exit = process.waitFor();
		Files.writeString(log, "$ " + String.join(" ", command) + "\n" + output, StandardCharsets.UTF_8,
				StandardOpenOption.CREATE, StandardOpenOption.APPEND);
		if (exit != 0 || output.contains("aborted")) {
			throw new IOException(String.format(Locale.ROOT, "pgbench failed (exit %d) on %s; see %s", exit,
					script.getFileName(), log));
		}
		return new Run(parseTps(output), parseTransactions(output));
	}

	private record Run(double tps, long transactions) {
	}

}
