package dev.outbox.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import dev.outbox.contract.EventMessage;

/**
 * Writes outbox events the way any writer of the contract does, with plain JDBC, in one round
 * trip per transaction: in {@link WriteMode#TABLE} one multi-row INSERT and one DELETE of the same
 * rows, sent together (see {@link #transactionSql}); in {@link WriteMode#MESSAGE} one statement
 * emitting a contract-shaped WAL message per event under the outbox prefix
 * ({@link MessageContent}).
 * <p>
 * Events are numbered densely from 0 across all writer threads ({@link EventPayload}). Each
 * thread owns the aggregates {@code a} with {@code a % threads == thread} and numbers its events
 * in increasing order, so for every aggregate commit order is sequence order: the consumer can
 * check per-aggregate order on sequence numbers alone.
 */
public final class OutboxWriter {

	private final Database database;

	private final String aggregateType;

	private final int aggregates;

	private final int threads;

	private final WriteMode mode;

	/** Next sequence number: dense over every run of this writer, so one consumer checks them all. */
	private final AtomicLong sequence = new AtomicLong();

	/**
	 * @param database where to write
	 * @param aggregateType the events' aggregate type (the relay's topic is derived from it)
	 * @param aggregates how many aggregates, a multiple of {@code threads}
	 * @param threads writer threads, one connection each
	 */
	public OutboxWriter(Database database, String aggregateType, int aggregates, int threads) {
		this(database, aggregateType, aggregates, threads, WriteMode.TABLE);
	}

	/**
	 * @param database where to write
	 * @param aggregateType the events' aggregate type (the relay's topic is derived from it)
	 * @param aggregates how many aggregates, a multiple of {@code threads}
	 * @param threads writer threads, one connection each
	 * @param mode {@link WriteMode#TABLE} or {@link WriteMode#MESSAGE}
	 */
	public OutboxWriter(Database database, String aggregateType, int aggregates, int threads, WriteMode mode) {
		if (mode == WriteMode.RETAIN) {
			throw new IllegalArgumentException("the backlog writer writes table or message mode, not retain");
		}
		if (aggregates % threads != 0) {
			throw new IllegalArgumentException(aggregates + " aggregates do not split over " + threads + " threads");
		}
		this.database = database;
		this.aggregateType = aggregateType;
		this.aggregates = aggregates;
		this.threads = threads;
		this.mode = mode;
	}

	/**
	 * Writes {@code events} events as fast as the threads can.
	 * @param events how many
	 * @param perTransaction events per transaction
	 * @return what was written
	 * @throws Exception when a write fails
	 */
	public Result backlog(long events, int perTransaction) throws Exception {
		if (events % perTransaction != 0) {
			throw new IllegalArgumentException(events + " events do not fill transactions of " + perTransaction);
		}
		return run(perTransaction, events, 0, Long.MAX_VALUE);
	}

	/**
	 * Writes at a fixed offered rate for a while (open loop: a thread that falls behind its
	 * schedule writes its late transactions at once, it does not skip them).
	 * @param eventsPerSecond the offered rate
	 * @param seconds how long
	 * @param perTransaction events per transaction
	 * @return what was written
	 * @throws Exception when a write fails
	 */
	public Result fixedRate(double eventsPerSecond, double seconds, int perTransaction) throws Exception {
		return run(perTransaction, Long.MAX_VALUE, eventsPerSecond, (long) (seconds * 1e9));
	}

	private Result run(int perTransaction, long limit, double rate, long durationNanos) throws Exception {
		AtomicLong sequence = this.sequence;
		long base = sequence.get();
		long last = (limit == Long.MAX_VALUE) ? Long.MAX_VALUE : base + limit; // exclusive
		AtomicReference<Throwable> failure = new AtomicReference<>();
		Percentiles transactionMicros = new Percentiles((int) Math.min(limit, 1 << 20));
		List<Thread> workers = new ArrayList<>();
		long start = System.nanoTime();
		long end = (durationNanos == Long.MAX_VALUE) ? Long.MAX_VALUE : start + durationNanos;
		for (int t = 0; t < this.threads; t++) {
			int thread = t;
			Thread worker = new Thread(() -> {
				try {
					write(thread, perTransaction, sequence, last, rate, start, end, transactionMicros);
				}
				catch (Throwable ex) {
					failure.compareAndSet(null, ex);
				}
			}, "outbox-writer-" + t);
			worker.start();
			workers.add(worker);
		}
		for (Thread worker : workers) {
			worker.join();
		}
		double seconds = (System.nanoTime() - start) / 1e9;
		if (failure.get() != null) {
			throw new IllegalStateException("writer failed: " + failure.get(), failure.get());
		}
		long written = Math.min(sequence.get(), last) - base;
		sequence.set(base + written); // numbers taken past the limit were not written
		return new Result(written, transactionMicros.count(), seconds, transactionMicros.snapshot());
	}

	private void write(int thread, int perTransaction, AtomicLong sequence, long limit, double rate, long start,
			long end, Percentiles transactionMicros) throws SQLException {
		int owned = this.aggregates / this.threads;
		long intervalNanos = (rate > 0) ? (long) (1e9 * perTransaction * this.threads / rate) : 0;
		long due = start + (intervalNanos * thread) / this.threads;
		long[] batch = new long[4096];
		int batched = 0;
		try (Connection connection = this.database.connect();
				PreparedStatement write = connection.prepareStatement(
						(this.mode == WriteMode.MESSAGE) ? MessageContent.EMIT_SQL : transactionSql(perTransaction))) {
			UUID[] ids = new UUID[perTransaction];
			String[] contents = new String[perTransaction];
			long local = 0;
			while (true) {
				if (intervalNanos > 0) {
					long now;
					while ((now = System.nanoTime()) < due) {
						LockSupport.parkNanos(due - now);
					}
					due += intervalNanos;
				}
				if (System.nanoTime() >= end) {
					break;
				}
				long first = sequence.getAndAdd(perTransaction);
				if (first >= limit) {
					break;
				}
				long micros = Micros.now();
				int p = 1;
				for (int i = 0; i < perTransaction; i++) {
					long seq = first + i;
					int aggregate = thread + this.threads * (int) (local++ % owned);
					ids[i] = uuidV7();
					if (this.mode == WriteMode.MESSAGE) {
						contents[i] = MessageContent.of(ids[i].toString(), this.aggregateType, "agg-" + aggregate,
								"BenchEvent", EventPayload.json(seq, micros), null);
						continue;
					}
					write.setObject(p++, ids[i]);
					write.setString(p++, this.aggregateType);
					write.setString(p++, "agg-" + aggregate);
					write.setString(p++, "BenchEvent");
					write.setString(p++, EventPayload.json(seq, micros));
				}
				if (this.mode == WriteMode.MESSAGE) {
					write.setString(1, MessageContent.PREFIX);
					write.setObject(2, EventMessage.contentArray(Arrays.asList(contents)), Types.OTHER);
				}
				else {
					write.setArray(p, connection.createArrayOf("uuid", ids));
				}
				write.execute();
				batch[batched++] = Micros.now() - micros;
				if (batched == batch.length) {
					transactionMicros.recordAll(batch, batched);
					batched = 0;
				}
			}
		}
		finally {
			transactionMicros.recordAll(batch, batched);
		}
	}

	/**
	 * One transaction in one round trip: with auto-commit on, the driver sends both statements
	 * before a single Sync, and PostgreSQL runs everything up to a Sync as one implicit
	 * transaction, committed at the Sync.
	 */
	static String transactionSql(int rows) {
		StringBuilder sql = new StringBuilder(
				"INSERT INTO public.outbox_event (id, aggregate_type, aggregate_id, event_type, payload) VALUES ");
		for (int i = 0; i < rows; i++) {
			sql.append((i > 0) ? ", " : "").append("(?, ?, ?, ?, ?::jsonb)");
		}
		return sql.append("; DELETE FROM public.outbox_event WHERE id = ANY(?)").toString();
	}

	/** A time-ordered UUID (version 7), as the starter writes. */
	private static UUID uuidV7() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		long msb = (System.currentTimeMillis() << 16) | 0x7000L | (random.nextLong() & 0x0fffL);
		long lsb = (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
		return new UUID(msb, lsb);
	}

	/**
	 * What a writer run did.
	 * @param events events committed
	 * @param transactions transactions committed
	 * @param seconds wall time of the run
	 * @param transactionMicros per transaction: from the payload's clock to the return of COMMIT
	 */
	public record Result(long events, long transactions, double seconds, Percentiles.Snapshot transactionMicros) {

		/** @return events per second */
		public double rate() {
			return this.events / this.seconds;
		}

	}

}
