package dev.outbox.failuresuite.readmodel;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The {@code read-model} workload's service: one writer thread inserting items and updating them
 * (about a third inserts), paced to a rate, each change in a transaction of its own. The faults'
 * deletes run on the same thread, between two changes.
 * <p>
 * One thread, so that its transactions commit in the order of their {@code updated_at}: the only
 * late commits are those a fault makes. (Concurrent writers commit out of that order all the
 * time, which a poller of the business table misses as it misses the fault's.)
 */
public final class ReadModelWriter implements AutoCloseable {

	private final TransactionTemplate transactions;

	private final ItemWrites writes;

	private final JdbcTemplate jdbc;

	private final long nanosPerChange;

	private final Random random;

	private final List<Long> live = new ArrayList<>();

	private final BlockingQueue<Runnable> faults = new LinkedBlockingQueue<>();

	private final AtomicLong failures = new AtomicLong();

	private final Thread thread;

	private long nextId = 1;

	private volatile boolean running = true;

	/**
	 * Starts writing.
	 * @param transactions the service's transactions
	 * @param jdbc its database
	 * @param writes what one change writes, as the capture needs it
	 * @param changesPerSecond the pace
	 * @param seed the random seed
	 */
	ReadModelWriter(TransactionTemplate transactions, JdbcTemplate jdbc, ItemWrites writes, int changesPerSecond,
			long seed) {
		this.transactions = transactions;
		this.jdbc = jdbc;
		this.writes = writes;
		this.nanosPerChange = TimeUnit.SECONDS.toNanos(1) / Math.max(1, changesPerSecond);
		this.random = new Random(seed);
		this.thread = new Thread(this::write, "read-model-writer");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	private void write() {
		long due = System.nanoTime();
		while (this.running) {
			Runnable fault = this.faults.poll();
			try {
				if (fault != null) {
					fault.run();
					continue;
				}
				change();
			}
			catch (RuntimeException ex) {
				this.failures.incrementAndGet();
				LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
			}
			due += this.nanosPerChange;
			long wait = due - System.nanoTime();
			if (wait > 0) {
				LockSupport.parkNanos(wait);
			}
			else if (wait < -TimeUnit.SECONDS.toNanos(1)) {
				due = System.nanoTime();
			}
		}
	}

	private void change() {
		boolean insert = this.live.size() < 20 || this.random.nextInt(3) == 0;
		long id = insert ? this.nextId++ : this.live.get(this.random.nextInt(this.live.size()));
		String value = "v" + this.random.nextInt(1_000_000);
		this.transactions.executeWithoutResult((status) -> this.writes.upsert(id, value));
		if (insert) {
			this.live.add(id);
		}
	}

	/**
	 * Fault {@code delete}: deletes rows the sink already holds at their current version, each
	 * in a transaction of its own, on the writer's thread.
	 * @param rows how many
	 * @return the rows deleted, once they are
	 */
	public CompletableFuture<List<Long>> deleteProjected(int rows) {
		return onWriterThread(() -> {
			List<Long> ids = projected(rows);
			for (long id : ids) {
				this.transactions.executeWithoutResult((status) -> this.writes.delete(id));
				this.live.remove(Long.valueOf(id));
			}
			return ids;
		});
	}

	/**
	 * Fault {@code update-then-delete}: for rows the sink already holds, an update then at once
	 * a delete, two transactions back to back, well within one poll interval.
	 * @param rows how many
	 * @return the rows flipped, once they are
	 */
	public CompletableFuture<List<Long>> updateThenDeleteProjected(int rows) {
		return onWriterThread(() -> {
			List<Long> ids = projected(rows);
			for (long id : ids) {
				this.transactions.executeWithoutResult((status) -> this.writes.upsert(id, "flipped"));
				this.transactions.executeWithoutResult((status) -> this.writes.delete(id));
				this.live.remove(Long.valueOf(id));
			}
			return ids;
		});
	}

	private List<Long> projected(int rows) {
		return this.jdbc.queryForList("SELECT p.id FROM " + ItemSink.REACHED + " p JOIN rm_item i ON i.id = p.id "
				+ "AND i.version = p.version WHERE p.id < ? ORDER BY random() LIMIT ?", Long.class,
				ReadModelSchema.FAULT_ITEMS, rows);
	}

	private <T> CompletableFuture<T> onWriterThread(java.util.function.Supplier<T> fault) {
		CompletableFuture<T> done = new CompletableFuture<>();
		this.faults.add(() -> {
			try {
				done.complete(fault.get());
			}
			catch (RuntimeException ex) {
				done.completeExceptionally(ex);
			}
		});
		return done;
	}

	/** @return transactions that failed */
	public long failures() {
		return this.failures.get();
	}

	/** Stops after the current change. */
	@Override
	public void close() {
		this.running = false;
		try {
			this.thread.join(TimeUnit.SECONDS.toMillis(30));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
