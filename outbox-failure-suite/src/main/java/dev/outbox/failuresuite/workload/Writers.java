package dev.outbox.failuresuite.workload;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import dev.outbox.failuresuite.workload.TransactionWriter.Change;

/**
 * Concurrent writer threads, each writing transactions of 1 to {@value #MAX_EVENTS} events over 1
 * to 3 random aggregates, paced together to a target rate of events per second.
 * <p>
 * A transaction that fails (the database restarting, a connection cut) is counted and the thread
 * goes on after a short pause; whether its commit happened is for the database to say
 * ({@link Schema#committedVersions}), never for these counters.
 */
public final class Writers implements AutoCloseable {

	/** Most events in one transaction. */
	public static final int MAX_EVENTS = 50;

	private final TransactionWriter writer;

	private final int aggregates;

	private final long nanosPerEventPerThread;

	private final List<Thread> threads = new ArrayList<>();

	private final AtomicLong transactions = new AtomicLong();

	private final AtomicLong failures = new AtomicLong();

	private volatile boolean running = true;

	/**
	 * Starts the threads.
	 * @param writer what one transaction does
	 * @param threads how many writer threads
	 * @param eventsPerSecond target rate over all threads
	 * @param aggregates how many aggregates to pick from
	 * @param seed random seed (each thread derives its own)
	 */
	public Writers(TransactionWriter writer, int threads, int eventsPerSecond, int aggregates, long seed) {
		this.writer = writer;
		this.aggregates = aggregates;
		this.nanosPerEventPerThread = TimeUnit.SECONDS.toNanos(1) * threads / Math.max(1, eventsPerSecond);
		for (int i = 0; i < threads; i++) {
			Random random = new Random(seed * 31 + i);
			Thread thread = new Thread(() -> write(random), "workload-writer-" + i);
			thread.setDaemon(true);
			this.threads.add(thread);
			thread.start();
		}
	}

	private void write(Random random) {
		long due = System.nanoTime();
		while (this.running) {
			List<Change> changes = plan(random);
			try {
				this.writer.write(changes);
				this.transactions.incrementAndGet();
			}
			catch (RuntimeException ex) {
				this.failures.incrementAndGet();
				LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100)); // back off while the database is away
				due = System.nanoTime();
				continue;
			}
			due += changes.stream().mapToInt(Change::events).sum() * this.nanosPerEventPerThread;
			long wait = due - System.nanoTime();
			if (wait > 0) {
				LockSupport.parkNanos(wait); // pacing
			}
			else if (wait < -TimeUnit.SECONDS.toNanos(1)) {
				due = System.nanoTime(); // fell behind (a fault): do not burst to catch up
			}
		}
	}

	/** 1 to 50 events over 1 to 3 distinct aggregates, in ascending id order (the lock order: no deadlocks). */
	private List<Change> plan(Random random) {
		int events = 1 + random.nextInt(MAX_EVENTS);
		int touched = Math.min(events, 1 + random.nextInt(3));
		TreeMap<String, Integer> perAggregate = new TreeMap<>();
		while (perAggregate.size() < touched) {
			perAggregate.put(Schema.aggregateId(random.nextInt(this.aggregates)), 1);
		}
		List<String> ids = new ArrayList<>(perAggregate.keySet());
		for (int i = touched; i < events; i++) {
			perAggregate.merge(ids.get(random.nextInt(ids.size())), 1, Integer::sum);
		}
		List<Change> changes = new ArrayList<>();
		perAggregate.forEach((id, count) -> changes.add(new Change(id, count)));
		return changes;
	}

	/** @return transactions the writers saw commit */
	public long transactions() {
		return this.transactions.get();
	}

	/** @return transactions that failed (their commit may still have happened) */
	public long failures() {
		return this.failures.get();
	}

	/** Stops the threads after their current transaction. */
	@Override
	public void close() {
		this.running = false;
		for (Thread thread : this.threads) {
			try {
				thread.join(TimeUnit.SECONDS.toMillis(60));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

}
