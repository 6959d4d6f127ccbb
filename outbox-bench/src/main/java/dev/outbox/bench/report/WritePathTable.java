package dev.outbox.bench.report;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.outbox.bench.Runs;
import dev.outbox.bench.TableActivity;
import dev.outbox.bench.WriteMode;
import dev.outbox.bench.WritePathVariant;

/**
 * The report's table of (e): per write mode and event count the JPA application's tx/s and
 * "of none" beside pgbench's ratio for the same SQL and the difference in points, WAL bytes per
 * event, then what each mode left in its outbox table, per 100,000 events.
 */
final class WritePathTable {

	private WritePathTable() {
	}

	/**
	 * The table's text, each line indented by two spaces.
	 * @param starter the JPA application's variants
	 * @param postgres pgbench's variants
	 * @param tables outbox table activity by mode
	 * @param events events written by mode in the JPA application
	 * @return the lines
	 */
	static String text(List<Runs.WritePath> starter, List<Runs.PostgresWritePath> postgres,
			Map<WriteMode, TableActivity> tables, Map<WriteMode, Long> events) {
		StringBuilder out = new StringBuilder();
		Runs.WritePath none = ModeTargets.starter(starter, WritePathVariant.NONE);
		out.append(String.format(Locale.ROOT, "  %-18s %8s %8s %8s %7s %10s %10s %8s %8s  %s%n", "", "tx/s", "of none",
				"pgbench", "gap", "WAL B/tx", "WAL B/ev", "JVM us", "PG us", "tx/s per round"));
		for (Runs.WritePath variant : starter) {
			Runs.PostgresWritePath sql = ModeTargets.postgres(postgres, variant.variant());
			Double wal = walPerEvent(variant, none);
			boolean hasEvents = variant.variant().events() > 0;
			out.append(String.format(Locale.ROOT, "  %-18s %8s %8s %8s %7s %10s %10s %8s %8s  %s%n",
					variant.variant().label(), count(variant.tps()), percent(variant.ofNone()),
					(sql != null && hasEvents) ? percent(sql.ofNone()) : "-",
					(sql != null && hasEvents) ? String.format(Locale.ROOT, "%+.0f", (variant.ofNone() - sql.ofNone()) * 100)
							: "-",
					count(variant.walBytesPerTransaction()), (wal != null) ? count(wal) : "-",
					count(variant.jvmCpuPerTransaction()), count(variant.postgresCpuPerTransaction()), variant.tpsRounds()));
		}
		out.append("  tx/s: median of the rounds; of none: median of the per-round ratios to no event; pgbench: the same\n"
				+ "  ratio for the same SQL without the JVM (target: of none >= pgbench - " + ModeTargets.MAX_GAP_POINTS
				+ " points, gap in points); JVM us, PG us: CPU microseconds per transaction of the application's\n"
				+ "  JVM and of PostgreSQL (all its processes), the median of the rounds\n");
		if (!postgres.isEmpty()) {
			out.append(String.format(Locale.ROOT, "  pgbench (prepared statements, 4 clients):%n  %-18s %8s %8s %8s %8s  %s%n",
					"", "tx/s", "of none", "pgb. us", "PG us", "tx/s per round"));
			for (Runs.PostgresWritePath variant : postgres) {
				out.append(String.format(Locale.ROOT, "  %-18s %8s %8s %8s %8s  %s%n", variant.variant().label(),
						count(variant.tps()), percent(variant.ofNone()), count(variant.clientCpuPerTransaction()),
						count(variant.postgresCpuPerTransaction()), variant.tpsRounds()));
			}
		}
		out.append("  outbox table per 100,000 events (pg_stat_user_tables over the JPA run; retain's purge did not run):\n");
		out.append(String.format(Locale.ROOT, "  %-8s %12s %14s %13s %11s %14s%n", "mode", "events", "dead tuples",
				"autovacuums", "dead left", "table MB"));
		for (WriteMode mode : WriteMode.values()) {
			TableActivity activity = tables.get(mode);
			long written = events.getOrDefault(mode, 0L);
			if (activity == null) {
				out.append(String.format(Locale.ROOT, "  %-8s %12s %14s %13s %11s %14s%n", mode.property(), count(written),
						"0 (no row)", "0", "-", "-"));
				continue;
			}
			out.append(String.format(Locale.ROOT, "  %-8s %12s %14s %13s %11s %14s%n", mode.property(), count(written),
					count(TableActivity.per100k(activity.deleted(), written)),
					String.format(Locale.ROOT, "%.1f", TableActivity.per100k(activity.autovacuums(), written)),
					count(activity.deadNow()), String.format(Locale.ROOT, "%.1f", activity.totalBytes() / 1048576.0)));
		}
		return out.toString();
	}

	/**
	 * WAL bytes per event of a variant: its WAL per transaction beyond no event's, per event.
	 * @param variant a variant
	 * @param none the variant without events, or {@code null} if not measured
	 * @return bytes per event, or {@code null} for no event or without the baseline
	 */
	static @Nullable Double walPerEvent(Runs.WritePath variant, Runs.@Nullable WritePath none) {
		return (none != null && variant.variant().events() > 0)
				? (variant.walBytesPerTransaction() - none.walBytesPerTransaction()) / variant.variant().events() : null;
	}

	private static String count(double value) {
		return String.format(Locale.ROOT, "%,.0f", value);
	}

	private static String percent(double ratio) {
		return String.format(Locale.ROOT, "%.0f %%", ratio * 100);
	}

}
