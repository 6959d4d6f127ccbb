package dev.outbox.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * The busy machine of (d)'s second variant: another application's OLTP traffic on the same
 * PostgreSQL server, {@code pgbench}'s TPC-B-like script in a database of its own, {@value #CLIENTS}
 * clients rate-limited to {@value #TRANSACTIONS_PER_SECOND} transactions per second, running from
 * before the variant's first warm-up to after its last run. It competes with the relay, the
 * walsender, the broker and the consumer for the machine's two cores and for PostgreSQL's WAL,
 * as a neighbour on a shared database server does.
 * <p>
 * What it achieved is read from {@code pgbench --progress} lines, one per second: a neighbour that
 * fell well short of its rate did not load the machine as intended, and the report says so.
 */
public final class BusyNeighbour implements AutoCloseable {

	/** pgbench clients. */
	public static final int CLIENTS = 2;

	/** pgbench's rate limit, transactions per second over all clients. */
	public static final int TRANSACTIONS_PER_SECOND = 500;

	/** pgbench's scale: 500,000 accounts, about 75 MB. */
	static final int SCALE = 5;

	private static final Pattern PROGRESS = Pattern.compile("^progress: [\\d.]+ s, ([\\d.]+) tps, lat ([\\d.]+) ms");

	private final Process process;

	private final Thread reader;

	private final List<double[]> seconds = new ArrayList<>();

	private BusyNeighbour(Process process, Path log) throws IOException {
		this.process = process;
		PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
				StandardOpenOption.APPEND));
		this.reader = new Thread(() -> {
			try (out; BufferedReader lines = new BufferedReader(
					new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
				String line;
				while ((line = lines.readLine()) != null) {
					out.println(line);
					double[] progress = progress(line);
					if (progress != null) {
						synchronized (this.seconds) {
							this.seconds.add(progress);
						}
					}
				}
			}
			catch (IOException ex) {
				// the process ended
			}
		}, "busy-neighbour-output");
		this.reader.setDaemon(true);
		this.reader.start();
	}

	/**
	 * Creates the neighbour's database ({@code pgbench --initialize}) and starts its load.
	 * @param server the benchmark's PostgreSQL server
	 * @param pgBin PostgreSQL's bin directory, holding {@code pgbench}
	 * @param log pgbench's output, appended
	 * @return the running neighbour; {@link #close()} stops it
	 * @throws Exception when the database cannot be created or pgbench cannot start
	 */
	public static BusyNeighbour start(Database server, Path pgBin, Path log) throws Exception {
		Database database = server.recreate("bench_busy");
		String pgbench = pgBin.resolve("pgbench").toString();
		List<String> init = List.of(pgbench, "--initialize", "--quiet", "--scale=" + SCALE, database.conninfo());
		Process initialize = new ProcessBuilder(init).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
			.start();
		if (!initialize.waitFor(120, TimeUnit.SECONDS) || initialize.exitValue() != 0) {
			initialize.destroyForcibly();
			throw new IOException("pgbench --initialize failed; see " + log);
		}
		List<String> run = List.of(pgbench, "--no-vacuum", "--protocol=prepared", "--client=" + CLIENTS,
				"--jobs=" + CLIENTS, "--rate=" + TRANSACTIONS_PER_SECOND, "--progress=1", "--time=86400",
				database.conninfo());
		Files.writeString(log, "$ " + String.join(" ", run) + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
		return new BusyNeighbour(new ProcessBuilder(run).redirectErrorStream(true).start(), log);
	}

	/**
	 * Reads one {@code pgbench --progress} line.
	 * @param line a line of pgbench's output
	 * @return the second's transactions per second and mean latency in ms, or {@code null} for
	 * another line
	 */
	static double @Nullable [] progress(String line) {
		Matcher matcher = PROGRESS.matcher(line);
		if (!matcher.find()) {
			return null;
		}
		return new double[] { Double.parseDouble(matcher.group(1)), Double.parseDouble(matcher.group(2)) };
	}

	/** @return whether pgbench still runs */
	public boolean isAlive() {
		return this.process.isAlive();
	}

	/**
	 * Marks the start of a measured run: {@link Achieved#since} gives what the neighbour did from
	 * here on.
	 * @return how many progress lines came so far
	 */
	public int mark() {
		synchronized (this.seconds) {
			return this.seconds.size();
		}
	}

	/**
	 * What the neighbour did since a {@link #mark()}.
	 * @param mark the mark
	 * @return its mean rate and latency over the seconds reported since
	 */
	public Achieved since(int mark) {
		synchronized (this.seconds) {
			return Achieved.of(this.seconds.subList(Math.min(mark, this.seconds.size()), this.seconds.size()));
		}
	}

	@Override
	public void close() throws InterruptedException {
		this.process.destroy();
		if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
			this.process.destroyForcibly();
		}
		this.reader.join(TimeUnit.SECONDS.toMillis(5));
	}

	/**
	 * The neighbour's load over some seconds.
	 * @param transactionsPerSecond mean rate
	 * @param latencyMillis mean of each second's mean transaction latency
	 * @param seconds progress lines counted
	 */
	public record Achieved(double transactionsPerSecond, double latencyMillis, int seconds) {

		static Achieved of(List<double[]> seconds) {
			double tps = 0;
			double latency = 0;
			for (double[] second : seconds) {
				tps += second[0];
				latency += second[1];
			}
			int n = seconds.size();
			return new Achieved((n > 0) ? tps / n : 0, (n > 0) ? latency / n : 0, n);
		}

		/** @return e.g. {@code "pgbench neighbour 498 tx/s, 1.2 ms"} */
		public String describe() {
			return String.format(Locale.ROOT, "pgbench neighbour %.0f tx/s, %.1f ms mean latency", this.transactionsPerSecond,
					this.latencyMillis);
		}

	}

}
