package dev.outbox.bench;

import java.util.function.LongSupplier;

/**
 * Follows the CPU time of a process that may appear late and vanish early (a walsender lives only
 * as long as its replication connection): polls its pid every 100 ms and keeps the last reading.
 */
public final class CpuWatch implements AutoCloseable {

	private final Thread thread;

	private volatile boolean running = true;

	private volatile long pid;

	private volatile double first = -1;

	private volatile double last = -1;

	/**
	 * Starts watching.
	 * @param pidFinder returns the pid, or 0 while there is none yet
	 */
	public CpuWatch(LongSupplier pidFinder) {
		this.thread = new Thread(() -> {
			while (this.running) {
				if (this.pid == 0) {
					this.pid = pidFinder.getAsLong();
				}
				if (this.pid != 0) {
					double cpu = ProcFs.cpuSeconds(this.pid);
					if (cpu >= 0) {
						if (this.first < 0) {
							this.first = cpu;
						}
						this.last = cpu;
					}
				}
				try {
					Thread.sleep(100);
				}
				catch (InterruptedException ex) {
					return;
				}
			}
		}, "bench-cpu-watch");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	/** @return the process's CPU seconds at the last reading, or -1 */
	public double cpuSeconds() {
		return this.last;
	}

	/** @return the process's pid, or 0 while not found */
	public long pid() {
		return this.pid;
	}

	@Override
	public void close() throws InterruptedException {
		this.running = false;
		this.thread.interrupt();
		this.thread.join(1000);
	}

}
