package dev.outbox.starter.support;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * A task run on a daemon thread of its own: right after {@link #start()}, then each interval
 * after the previous run ended, until {@link #stop()}. The housekeeping of the inbox cleanup
 * and the outbox purge. The task handles its own failures: an exception it throws ends the
 * schedule. Thread-safe.
 */
public final class FixedDelayTask {

	private final String threadName;

	private final Runnable task;

	private final Duration interval;

	private final Object monitor = new Object();

	private @Nullable ScheduledExecutorService scheduler;

	/**
	 * Create a task.
	 * @param threadName the name of its thread
	 * @param task what to run
	 * @param interval the time from the end of a run to the start of the next, positive
	 */
	public FixedDelayTask(String threadName, Runnable task, Duration interval) {
		this.threadName = threadName;
		this.task = task;
		this.interval = interval;
	}

	/**
	 * Start running the task; does nothing when it is running already.
	 */
	public void start() {
		synchronized (this.monitor) {
			if (this.scheduler != null) {
				return;
			}
			this.scheduler = Executors.newSingleThreadScheduledExecutor((runnable) -> {
				Thread thread = new Thread(runnable, this.threadName);
				thread.setDaemon(true);
				return thread;
			});
			this.scheduler.scheduleWithFixedDelay(this.task, 0, this.interval.toMillis(), TimeUnit.MILLISECONDS);
		}
	}

	/**
	 * Stop the schedule, interrupt a run under way and wait up to 10 seconds for it to end.
	 */
	public void stop() {
		ScheduledExecutorService stopping;
		synchronized (this.monitor) {
			stopping = this.scheduler;
			this.scheduler = null;
		}
		if (stopping != null) {
			stopping.shutdownNow();
			try {
				stopping.awaitTermination(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	/**
	 * Whether the task is scheduled.
	 * @return whether {@link #start()} was called and {@link #stop()} not since
	 */
	public boolean isRunning() {
		synchronized (this.monitor) {
			return this.scheduler != null;
		}
	}

}
