package dev.outbox.relay.checkpoint;

import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;
import org.postgresql.replication.LogSequenceNumber;

/**
 * The acknowledgement watermark: which WAL position the relay may confirm to PostgreSQL, given
 * which events Kafka has acknowledged. This comment is the one place that argues why the relay
 * never skips an event; keep it true.
 *
 * <h2>What confirming means</h2>
 * Confirming a position {@code P} (the flush position of a standby status update) tells the
 * server that the relay is done with every transaction whose commit record starts before
 * {@code P}. The server then moves the slot's {@code confirmed_flush_lsn} to {@code P}, may
 * recycle WAL it no longer needs, and, on the next {@code START_REPLICATION}, <em>skips</em>
 * every transaction whose commit record starts before {@code P}. So:
 * <blockquote>{@code P} is safe to confirm iff every outbox event of every transaction whose
 * commit record starts before {@code P} has been acknowledged by Kafka.</blockquote>
 * A position that is safe stays safe (acknowledgements are never taken back), and every
 * position at or below a safe one is safe. A crash at any instant therefore loses nothing:
 * after restart the server re-sends every transaction the relay had not confirmed, so events
 * may be sent twice (consumers deduplicate on the event id) but never skipped.
 *
 * <h2>Facts about the stream this relies on</h2>
 * For {@code pgoutput} protocol version 1 without the {@code streaming} option:
 * <ol>
 * <li><b>F1.</b> The server sends a transaction only after it committed, whole, as Begin,
 * changes, Commit, in commit order. Transactions never interleave.</li>
 * <li><b>F2.</b> A Commit's {@code endLsn} is the end of its commit record. Every transaction
 * sent later has its commit record at or after it. So the transactions whose commit starts
 * before {@code endLsn(T)} are exactly {@code T} and the transactions sent before {@code T}.</li>
 * <li><b>F3.</b> A position the server reports while streaming (the WAL position of a
 * keepalive, which is how far the walsender has decoded, and the start LSN of an XLogData
 * message; pgjdbc reports the latest as {@code getLastReceiveLSN()}) is a point before which
 * every committed transaction has already been sent, ahead of the report on the same
 * connection. It is <em>not</em> the server's end of WAL ({@code pg_current_wal_lsn()}), which
 * must never be passed here.</li>
 * </ol>
 *
 * <h2>The two rules</h2>
 * Events are registered in stream order and numbered by a sequence. The checkpoint keeps
 * {@code head}, the lowest sequence not yet acknowledged (every event below it is), and, for
 * each transaction whose Commit was read but which is not yet confirmable, the sequence just
 * past its last event and its {@code endLsn}.
 * <ul>
 * <li><b>R1, commit rule.</b> {@code endLsn(T)} becomes confirmable once {@code T}'s Commit was
 * read and {@code head} has passed every event registered up to that Commit. By F2 these are
 * the events of exactly the transactions that commit before {@code endLsn(T)}, so the position
 * is safe. Acknowledgements may arrive out of order and before the Commit is read; neither
 * matters, only {@code head} does. A transaction without outbox events (other tables of the
 * publication, the outbox's own DELETEs) adds no event, so it is confirmable as soon as
 * everything before it is.</li>
 * <li><b>R2, idle rule.</b> When no transaction is open (every Begin read so far has had its
 * Commit) and every registered event is acknowledged, the latest position received is
 * confirmable. By F3 every transaction committing before it was sent before it; the reader
 * handed each to this checkpoint before reading further (see
 * {@link #observeReceivedLsn(long)}); none is open, so each was read to its Commit; and all
 * their events are acknowledged. This is what moves the slot forward while only other tables
 * change or the server skips empty transactions. Inside a transaction R2 does not apply: the
 * reader has not seen all of that transaction's events yet, and the positions reported there
 * (the Begin carries the transaction's <em>first</em> record, which may precede commits
 * already confirmed) say nothing about it.</li>
 * </ul>
 * The confirmable position only ever grows: each rule raises it to the maximum of its old
 * value and the new candidate.
 *
 * <h2>Failure</h2>
 * {@link #fail(long, Throwable)} marks an event that Kafka rejected for good. It is never
 * acknowledged, so {@code head} can never pass it: R1 stops before its transaction and R2
 * never applies again. The watermark is frozen at the last safe position before it, and after
 * a restart the server re-sends that transaction. The failed event is kept for health.
 *
 * <h2>Bounded memory</h2>
 * At most {@code capacity} events lie between {@code head} and the newest registered one:
 * {@link #tryRegister} refuses the next one until {@code head} moves. The pending commits are
 * bounded too, since each has a distinct end sequence in that window (consecutive commits with
 * no event between them are merged). A transaction larger than the capacity still flows,
 * because its first events can be acknowledged, and move {@code head}, before its Commit is
 * read. While refused, the reader waits in {@link #awaitCapacity} with a timeout, so it can
 * keep sending status updates within {@code wal_sender_timeout}.
 *
 * <h2>Threads</h2>
 * One <em>reader</em> thread calls {@link #beginTransaction()}, {@link #tryRegister},
 * {@link #awaitCapacity}, {@link #commitTransaction(long)} and {@link #observeReceivedLsn(long)},
 * in stream order. Any threads (Kafka producer I/O threads) call {@link #ack(long)} and
 * {@link #fail(long, Throwable)}. Any thread may read {@link #confirmableLsn()} and the
 * metrics without blocking. Writers share one lock, held for a few field updates; an
 * acknowledgement costs amortized O(1) and never scans the in-flight events.
 *
 * <h2>Use</h2>
 * <pre>{@code
 * // reader thread, for each message in stream order:
 * Begin  -> checkpoint.beginTransaction();
 * outbox Insert -> long ticket;
 *           while ((ticket = checkpoint.tryRegister(row.id(), lsn)) == LsnCheckpoint.NO_CAPACITY) {
 *               checkpoint.awaitCapacity(1, TimeUnit.SECONDS);  // then send a status update
 *           }
 *           producer.send(record, (metadata, ex) -> {
 *               if (ex == null) checkpoint.ack(ticket); else if (fatal(ex)) checkpoint.fail(ticket, ex);
 *           });
 * Commit -> checkpoint.commitTransaction(commit.endLsn());
 * then   -> checkpoint.observeReceivedLsn(stream.getLastReceiveLSN().asLong());
 * // when readPending() returns null, also observeReceivedLsn(...): keepalives move it.
 * // status update: flushed = applied = checkpoint.confirmableLsn()
 * }</pre>
 * Use one checkpoint per replication session, started at the position the session streams
 * from; acknowledgements for an earlier session's checkpoint are then harmless.
 */
public final class LsnCheckpoint {

	/** Returned by {@link #tryRegister} when the in-flight window is full. */
	public static final long NO_CAPACITY = -1;

	private static final byte OUTSTANDING = 0;

	private static final byte ACKED = 1;

	private static final byte FAILED = 2;

	private final int capacity;

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition notFull = this.lock.newCondition();

	// Event window, indexed by sequence % capacity; guarded by lock.
	// Invariant: head <= nextSeq <= head + capacity; every sequence below head is acknowledged;
	// state[head % capacity] is OUTSTANDING or FAILED, never ACKED, while head < nextSeq.

	private final byte[] state;

	private final @Nullable String[] eventIds;

	private final long[] eventLsns;

	private long head;

	private long nextSeq;

	// Commits read but not yet confirmable (end sequence > head), oldest first; guarded by lock.
	// Invariant: end sequences strictly increase and lie in (head, nextSeq], so there are at most capacity.

	private final long[] pendingEndSeq;

	private final long[] pendingEndLsn;

	private int pendingFirst;

	private int pendingCount;

	private boolean transactionOpen;

	private long lastCommitEndLsn = Long.MIN_VALUE;

	private int capacityWaiters;

	// Published for lock-free readers; written under lock.

	private volatile long confirmable;

	private volatile long lastReceived;

	private volatile int inFlight;

	private volatile @Nullable FailedEvent failure;

	/**
	 * Creates a checkpoint.
	 * @param capacity the most events in flight: from the oldest unacknowledged one to the newest
	 * registered one
	 * @param startLsn the position the replication session streams from (the slot's
	 * {@code confirmed_flush_lsn}); confirmable until something newer is
	 */
	public LsnCheckpoint(int capacity, long startLsn) {
		if (capacity < 1) {
			throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
		}
		this.capacity = capacity;
		this.state = new byte[capacity];
		this.eventIds = new String[capacity];
		this.eventLsns = new long[capacity];
		this.pendingEndSeq = new long[capacity];
		this.pendingEndLsn = new long[capacity];
		this.confirmable = startLsn;
		this.lastReceived = startLsn;
	}

	/**
	 * Records that a Begin message was read. Reader thread only.
	 * @throws IllegalStateException if the previous transaction has no Commit yet
	 */
	public void beginTransaction() {
		this.lock.lock();
		try {
			if (this.transactionOpen) {
				throw new IllegalStateException("Begin read while a transaction is open: the stream is out of step");
			}
			this.transactionOpen = true;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Registers an event of the open transaction, if the in-flight window has room. Reader
	 * thread only; never blocks. Call it before handing the event to Kafka, so that the
	 * acknowledgement cannot arrive first.
	 * @param eventId the event id, kept for health if its send fails
	 * @param eventLsn the event's LSN (its XLogData start), kept for the same reason
	 * @return a ticket (zero or more) to pass to {@link #ack(long)} or {@link #fail(long, Throwable)}
	 * exactly once, or {@link #NO_CAPACITY} when the window is full
	 * @throws IllegalStateException if no transaction is open
	 */
	public long tryRegister(String eventId, long eventLsn) {
		Objects.requireNonNull(eventId, "eventId");
		this.lock.lock();
		try {
			if (!this.transactionOpen) {
				throw new IllegalStateException("Event " + eventId + " registered outside a transaction");
			}
			if (this.nextSeq - this.head >= this.capacity) {
				return NO_CAPACITY;
			}
			long ticket = this.nextSeq++;
			int slot = slot(ticket);
			this.eventIds[slot] = eventId;
			this.eventLsns[slot] = eventLsn;
			this.inFlight = (int) (this.nextSeq - this.head);
			return ticket;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Waits until {@link #tryRegister} would succeed. Reader thread only. Returns early, with
	 * {@code false}, once a send has failed for good (see {@link #failure()}), so the reader can
	 * stop promptly.
	 * @param timeout how long to wait at most
	 * @param unit the unit of {@code timeout}
	 * @return {@code true} if there is room, {@code false} on timeout or failure
	 * @throws InterruptedException if the thread is interrupted while waiting
	 */
	public boolean awaitCapacity(long timeout, TimeUnit unit) throws InterruptedException {
		long nanos = unit.toNanos(timeout);
		this.lock.lock();
		try {
			while (this.nextSeq - this.head >= this.capacity) {
				if (this.failure != null || nanos <= 0) {
					return false;
				}
				this.capacityWaiters++;
				try {
					nanos = this.notFull.awaitNanos(nanos);
				}
				finally {
					this.capacityWaiters--;
				}
			}
			return true;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Records that the Commit of the open transaction was read: rule R1 may now confirm its
	 * {@code endLsn}. Reader thread only.
	 * @param endLsn the Commit's end LSN; must exceed the previous Commit's
	 * @throws IllegalStateException if no transaction is open or the end LSN does not increase
	 */
	public void commitTransaction(long endLsn) {
		this.lock.lock();
		try {
			if (!this.transactionOpen) {
				throw new IllegalStateException("Commit " + text(endLsn) + " read with no open transaction");
			}
			if (this.lastCommitEndLsn != Long.MIN_VALUE && Long.compareUnsigned(endLsn, this.lastCommitEndLsn) <= 0) {
				throw new IllegalStateException("Commit end LSN " + text(endLsn) + " does not follow the previous "
						+ text(this.lastCommitEndLsn) + ": transactions must arrive in commit order");
			}
			this.transactionOpen = false;
			this.lastCommitEndLsn = endLsn;
			long endSeq = this.nextSeq;
			if (endSeq <= this.head) {
				raise(endLsn); // all its events, and all earlier ones, are already acknowledged
			}
			else if (this.pendingCount > 0 && this.pendingEndSeq[pendingIndex(this.pendingCount - 1)] == endSeq) {
				this.pendingEndLsn[pendingIndex(this.pendingCount - 1)] = endLsn; // no event since: merge
			}
			else {
				if (this.pendingCount == this.capacity) {
					throw new IllegalStateException("More pending commits than capacity: invariant broken");
				}
				int index = pendingIndex(this.pendingCount);
				this.pendingEndSeq[index] = endSeq;
				this.pendingEndLsn[index] = endLsn;
				this.pendingCount++;
			}
			applyIdleRule();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Records the latest position received from the server, for rule R2. Reader thread only.
	 * <p>Call it only after every message received before that position has been handed to
	 * this checkpoint (Begin, events, Commit): typically with
	 * {@code stream.getLastReceiveLSN()} after handling the message {@code readPending()}
	 * returned, and when {@code readPending()} returns {@code null} (a keepalive may have moved
	 * it). Never pass the server's end of WAL. Lower values than before are ignored.
	 * @param lsn the position
	 */
	public void observeReceivedLsn(long lsn) {
		this.lock.lock();
		try {
			if (Long.compareUnsigned(lsn, this.lastReceived) > 0) {
				this.lastReceived = lsn;
			}
			applyIdleRule();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Acknowledges an event: Kafka has it durably. Any thread; acknowledgements may come in any
	 * order. Amortized O(1).
	 * @param ticket the ticket from {@link #tryRegister}
	 * @throws IllegalArgumentException if the ticket was never issued
	 * @throws IllegalStateException if the ticket was already acknowledged or failed
	 */
	public void ack(long ticket) {
		this.lock.lock();
		try {
			checkOutstanding(ticket, "acknowledged");
			int slot = slot(ticket);
			this.state[slot] = ACKED;
			this.eventIds[slot] = null;
			if (ticket != this.head) {
				return; // an earlier event is still unacknowledged: nothing becomes confirmable
			}
			while (this.head < this.nextSeq && this.state[slot(this.head)] == ACKED) {
				this.state[slot(this.head)] = OUTSTANDING; // free the slot for sequence head + capacity
				this.head++;
			}
			this.inFlight = (int) (this.nextSeq - this.head);
			while (this.pendingCount > 0 && this.pendingEndSeq[this.pendingFirst] <= this.head) {
				raise(this.pendingEndLsn[this.pendingFirst]); // rule R1
				this.pendingFirst = pendingIndex(1);
				this.pendingCount--;
			}
			applyIdleRule();
			if (this.capacityWaiters > 0) {
				this.notFull.signalAll();
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Marks an event whose send failed for good (Kafka rejected it and will not accept it):
	 * freezes the watermark before it, for the life of this checkpoint. Any thread. The
	 * first-registered failed event is the one kept for {@link #failure()}.
	 * @param ticket the ticket from {@link #tryRegister}
	 * @param cause why the send failed
	 * @throws IllegalArgumentException if the ticket was never issued
	 * @throws IllegalStateException if the ticket was already acknowledged or failed
	 */
	public void fail(long ticket, Throwable cause) {
		Objects.requireNonNull(cause, "cause");
		this.lock.lock();
		try {
			checkOutstanding(ticket, "failed");
			int slot = slot(ticket);
			this.state[slot] = FAILED; // never ACKED again, so head can never pass it
			FailedEvent first = this.failure;
			if (first == null || ticket < first.ticket()) {
				String eventId = Objects.requireNonNull(this.eventIds[slot], "eventId");
				this.failure = new FailedEvent(ticket, eventId, this.eventLsns[slot], cause);
			}
			this.notFull.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Returns the highest position that is safe to confirm now (see the class comment). Any
	 * thread; never blocks. Never decreases.
	 * @return the LSN to report as flushed and applied
	 */
	public long confirmableLsn() {
		return this.confirmable;
	}

	/**
	 * Returns the highest position passed to {@link #observeReceivedLsn(long)}, or the start
	 * position. Any thread; never blocks.
	 * @return the last received LSN
	 */
	public long lastReceivedLsn() {
		return this.lastReceived;
	}

	/**
	 * Returns the number of events in flight: registered at or after the oldest unacknowledged
	 * one. At most {@link #capacity()}. Any thread; never blocks.
	 * @return the events in flight
	 */
	public int inFlight() {
		return this.inFlight;
	}

	/**
	 * Returns the most events that may be in flight.
	 * @return the capacity
	 */
	public int capacity() {
		return this.capacity;
	}

	/**
	 * Returns the event whose permanent failure froze this checkpoint. Any thread; never blocks.
	 * @return the failed event, or {@code null} while every send has succeeded or is pending
	 */
	public @Nullable FailedEvent failure() {
		return this.failure;
	}

	@Override
	public String toString() {
		return "LsnCheckpoint[confirmable=" + text(this.confirmable) + ", lastReceived=" + text(this.lastReceived)
				+ ", inFlight=" + this.inFlight + "/" + this.capacity + ", failure=" + this.failure + "]";
	}

	/** Rule R2; called under lock after any change that could make it apply. */
	private void applyIdleRule() {
		if (!this.transactionOpen && this.head == this.nextSeq && this.failure == null) {
			raise(this.lastReceived);
		}
	}

	/** Raises the confirmable position, never lowers it; called under lock. */
	private void raise(long lsn) {
		if (Long.compareUnsigned(lsn, this.confirmable) > 0) {
			this.confirmable = lsn;
		}
	}

	private void checkOutstanding(long ticket, String action) {
		if (ticket < 0 || ticket >= this.nextSeq) {
			throw new IllegalArgumentException("Ticket " + ticket + " was never issued");
		}
		if (ticket < this.head || this.state[slot(ticket)] == ACKED) {
			throw new IllegalStateException("Ticket " + ticket + " cannot be " + action + ": it was already acknowledged");
		}
		if (this.state[slot(ticket)] == FAILED) {
			throw new IllegalStateException("Ticket " + ticket + " cannot be " + action + ": it already failed");
		}
	}

	private int slot(long sequence) {
		return (int) (sequence % this.capacity);
	}

	private int pendingIndex(int offset) {
		return (this.pendingFirst + offset) % this.capacity;
	}

	private static String text(long lsn) {
		return LogSequenceNumber.valueOf(lsn).asString();
	}

}
