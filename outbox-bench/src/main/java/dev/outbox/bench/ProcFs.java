package dev.outbox.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Linux {@code /proc} readings: a process's CPU time and resident memory, and the machine's
 * total busy time. CPU times are in clock ticks of {@value #TICKS_PER_SECOND} per second
 * ({@code getconf CLK_TCK} on Linux).
 */
public final class ProcFs {

	/** Clock ticks per second of {@code /proc/<pid>/stat}. */
	public static final int TICKS_PER_SECOND = 100;

	private ProcFs() {
	}

	/**
	 * One process's line of {@code /proc/<pid>/stat}.
	 * @param pid the process
	 * @param parent its parent
	 * @param ticks user plus system time
	 * @param childTicks user plus system time of its reaped children
	 */
	public record Stat(long pid, long parent, long ticks, long childTicks) {
	}

	/**
	 * Reads {@code /proc/<pid>/stat}.
	 * @param pid the process
	 * @return its figures, or {@code null} when it is gone
	 */
	public static Stat stat(long pid) {
		try {
			return parseStat(pid, Files.readString(Path.of("/proc/" + pid + "/stat")));
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
	}

	static Stat parseStat(long pid, String line) {
		// the command name, field 2, is in parentheses and may contain spaces
		String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
		// fields[0] is field 3 (state): ppid is field 4, utime 14, stime 15, cutime 16, cstime 17
		return new Stat(pid, Long.parseLong(fields[1]), Long.parseLong(fields[11]) + Long.parseLong(fields[12]),
				Long.parseLong(fields[13]) + Long.parseLong(fields[14]));
	}

	/**
	 * Returns a process's CPU seconds (user plus system).
	 * @param pid the process
	 * @return seconds, or -1 when it is gone
	 */
	public static double cpuSeconds(long pid) {
		Stat stat = stat(pid);
		return (stat != null) ? stat.ticks() / (double) TICKS_PER_SECOND : -1;
	}

	/**
	 * Returns the CPU ticks of a server and the processes it forks, such as PostgreSQL's
	 * postmaster: its own, those of its children it has reaped (a backend that ended, such as
	 * one of pgbench's connections), and those of its children alive now. The difference of two
	 * readings is the CPU the server used in between, whether its backends lived through it or
	 * not.
	 * @param pid the server's process
	 * @return ticks, or -1 when it is gone
	 */
	public static long familyTicks(long pid) {
		Stat server = stat(pid);
		if (server == null) {
			return -1;
		}
		long ticks = server.ticks() + server.childTicks();
		try (var processes = Files.list(Path.of("/proc"))) {
			ticks += processes.map((path) -> path.getFileName().toString())
				.filter((name) -> name.chars().allMatch(Character::isDigit))
				.map((name) -> stat(Long.parseLong(name)))
				.filter((child) -> child != null && child.parent() == pid)
				.mapToLong((child) -> child.ticks() + child.childTicks())
				.sum();
		}
		catch (IOException ex) {
			return -1;
		}
		return ticks;
	}

	/**
	 * Returns the CPU ticks of a process's threads, summed by thread name ({@code comm}, which
	 * the JVM sets to the first 15 characters of the Java thread name; numbered pool threads such
	 * as {@code C2 CompilerThre} or {@code GC Thread#1} are summed under their name without the
	 * number).
	 * @param pid the process
	 * @return ticks by thread name; empty when the process is gone
	 */
	public static Map<String, Long> threadTicks(long pid) {
		Map<String, Long> byName = new HashMap<>();
		try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
			tasks.forEach((task) -> {
				try {
					String name = Files.readString(task.resolve("comm")).trim().replaceAll("#?\\d+$", "");
					Stat stat = parseStat(Long.parseLong(task.getFileName().toString()),
							Files.readString(task.resolve("stat")));
					byName.merge(name, stat.ticks(), Long::sum);
				}
				catch (IOException | RuntimeException ex) {
					// the thread ended
				}
			});
		}
		catch (IOException ex) {
			// the process ended
		}
		return byName;
	}

	/**
	 * Returns how long a process's threads have waited on a run queue, runnable but without a CPU,
	 * since each started ({@code /proc/<pid>/task/<tid>/schedstat}, second field, summed): on a
	 * saturated machine, the time its work stood still for want of a core.
	 * @param pid the process
	 * @return nanoseconds, or -1 when the process is gone
	 */
	public static long runQueueWaitNanos(long pid) {
		long waited = 0;
		try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
			for (Path task : tasks.toList()) {
				try {
					waited += parseRunQueueWait(Files.readString(task.resolve("schedstat")));
				}
				catch (IOException | RuntimeException ex) {
					// the thread ended
				}
			}
		}
		catch (IOException ex) {
			return -1;
		}
		return waited;
	}

	/**
	 * @param schedstat a task's {@code schedstat}: time on a CPU, time waiting on a run queue (both
	 * in nanoseconds) and time slices run
	 * @return the time waiting on a run queue
	 */
	static long parseRunQueueWait(String schedstat) {
		String[] fields = schedstat.trim().split("\\s+");
		if (fields.length < 2) {
			throw new IllegalArgumentException("not a schedstat line: " + schedstat);
		}
		return Long.parseLong(fields[1]);
	}

	/**
	 * Returns a process's resident set size.
	 * @param pid the process
	 * @return bytes, or -1 when it is gone
	 */
	public static long rssBytes(long pid) {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
				if (line.startsWith("VmRSS:")) {
					return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// gone
		}
		return -1;
	}

	/**
	 * Returns the machine's busy ticks (all CPUs, all but idle and iowait), from {@code /proc/stat}.
	 * @return ticks
	 */
	public static long machineBusyTicks() {
		try {
			String cpu = Files.readAllLines(Path.of("/proc/stat")).get(0);
			String[] fields = cpu.trim().split("\\s+");
			long busy = 0;
			for (int i = 1; i < Math.min(fields.length, 9); i++) {
				if (i != 4 && i != 5) { // idle, iowait
					busy += Long.parseLong(fields[i]);
				}
			}
			return busy;
		}
		catch (IOException ex) {
			return 0;
		}
	}

	/**
	 * Reads every process's stat line.
	 * @return by pid
	 */
	public static Map<Long, Stat> allProcesses() {
		Map<Long, Stat> all = new HashMap<>();
		try (var entries = Files.list(Path.of("/proc"))) {
			entries.forEach((entry) -> {
				String name = entry.getFileName().toString();
				if (!name.isEmpty() && Character.isDigit(name.charAt(0))) {
					Stat stat = stat(Long.parseLong(name));
					if (stat != null) {
						all.put(stat.pid(), stat);
					}
				}
			});
		}
		catch (IOException ex) {
			// leave what was read
		}
		return all;
	}

	/**
	 * Reads a whole small file, or returns a default.
	 * @param path the file
	 * @param otherwise the default
	 * @return its content, trimmed
	 */
	public static String read(String path, String otherwise) {
		try {
			return Files.readString(Path.of(path)).trim();
		}
		catch (IOException ex) {
			return otherwise;
		}
	}

}
