package dev.outbox.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Tells how quiet the machine was: the CPU time of processes that are not part of the benchmark
 * (other builds, other tests), sampled from {@code /proc} every half second. The benchmark's own
 * processes are this JVM, the broker, the PostgreSQL postmaster and all their descendants (the
 * relay, {@code pg_recvlogical}, child JVMs, backends and walsenders).
 */
public final class MachineLoad implements AutoCloseable {

	private final Set<Long> roots;

	private final Thread thread;

	private final Map<Long, Long> lastTicks = new HashMap<>();

	private long lastBusy = ProcFs.machineBusyTicks();

	private volatile long busyTicks;

	private volatile long ownTicks;

	private volatile boolean running = true;

	/**
	 * Starts sampling.
	 * @param roots the benchmark's root processes besides this JVM
	 */
	public MachineLoad(Set<Long> roots) {
		this.roots = new java.util.HashSet<>(roots);
		this.roots.add(ProcessHandle.current().pid());
		sample();
		this.busyTicks = 0;
		this.ownTicks = 0;
		this.thread = new Thread(this::run, "bench-machine-load");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	private void run() {
		while (this.running) {
			try {
				Thread.sleep(500);
			}
			catch (InterruptedException ex) {
				return;
			}
			sample();
		}
	}

	private synchronized void sample() {
		Map<Long, ProcFs.Stat> all = ProcFs.allProcesses();
		long own = 0;
		Map<Long, Long> ticks = new HashMap<>();
		for (ProcFs.Stat stat : all.values()) {
			if (isOurs(stat, all)) {
				own += stat.ticks() - this.lastTicks.getOrDefault(stat.pid(), 0L);
				ticks.put(stat.pid(), stat.ticks());
			}
		}
		this.lastTicks.clear();
		this.lastTicks.putAll(ticks);
		long busy = ProcFs.machineBusyTicks();
		this.busyTicks += busy - this.lastBusy;
		this.lastBusy = busy;
		this.ownTicks += own;
	}

	private boolean isOurs(ProcFs.Stat stat, Map<Long, ProcFs.Stat> all) {
		ProcFs.Stat current = stat;
		for (int depth = 0; current != null && depth < 64; depth++) {
			if (this.roots.contains(current.pid())) {
				return true;
			}
			current = all.get(current.parent());
		}
		return false;
	}

	/**
	 * Adds a root process (for example a broker started later).
	 * @param pid the process
	 */
	public synchronized void addRoot(long pid) {
		this.roots.add(pid);
	}

	/** @return a mark to measure a phase from */
	public synchronized Mark mark() {
		sample();
		return new Mark(System.nanoTime(), this.busyTicks, this.ownTicks);
	}

	/**
	 * Returns the CPU used by other processes since a mark.
	 * @param from the mark
	 * @return the figures of the phase
	 */
	public synchronized Phase since(Mark from) {
		sample();
		double wall = (System.nanoTime() - from.nanos()) / 1e9;
		double busy = (this.busyTicks - from.busy()) / (double) ProcFs.TICKS_PER_SECOND;
		double own = (this.ownTicks - from.own()) / (double) ProcFs.TICKS_PER_SECOND;
		double foreign = Math.max(0, busy - own);
		int cpus = Runtime.getRuntime().availableProcessors();
		return new Phase(wall, own, foreign, foreign / (wall * cpus));
	}

	@Override
	public void close() {
		this.running = false;
		this.thread.interrupt();
	}

	/**
	 * A point in time.
	 * @param nanos {@link System#nanoTime()}
	 * @param busy machine busy ticks so far
	 * @param own the benchmark's ticks so far
	 */
	public record Mark(long nanos, long busy, long own) {
	}

	/**
	 * CPU use during a phase.
	 * @param wallSeconds its length
	 * @param ownCpuSeconds CPU used by the benchmark's processes
	 * @param foreignCpuSeconds CPU used by everything else
	 * @param foreignShare foreign CPU as a share of the machine's capacity (0 = quiet, 1 = all cores busy elsewhere)
	 */
	public record Phase(double wallSeconds, double ownCpuSeconds, double foreignCpuSeconds, double foreignShare) {
	}

}
