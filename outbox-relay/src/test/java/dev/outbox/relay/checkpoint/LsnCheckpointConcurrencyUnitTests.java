package dev.outbox.relay.checkpoint;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link LsnCheckpoint} under its real threading: one reader registering transactions of
 * random sizes (empty ones, and ones larger than the capacity) with keepalive positions in
 * between, several threads acknowledging in random order, and a status thread reading.
 * <p>
 * The invariant is checked, not waited for: just before an acker acknowledges an event, the
 * event is unacknowledged, so the confirmable position must still be below the event's LSN.
 * Because the status thread proves the position never decreases, a check at that instant
 * covers the event's whole unacknowledged life.
 */
class LsnCheckpointConcurrencyUnitTests {

	private static final int CAPACITY = 64;

	private static final int TRANSACTIONS = 20_000;

	private static final int ACKERS = 3;

	private static final long FAILED_EVENT = 5_000;

	private final long seed = System.nanoTime();

	private final ExecutorService pool = Executors.newFixedThreadPool(ACKERS + 2);

	private final AtomicReference<String> violation = new AtomicReference<>();

	@AfterEach
	void shutdown() {
		this.pool.shutdownNow();
	}

	@Test
	void watermarkNeverPassesAnUnackedEventWhileAcksArriveOutOfOrderFromManyThreads() throws Exception {
		Run run = run(-1);

		assertThat(this.violation.get()).as("seed %d", this.seed).isNull();
		assertThat(run.acked.get()).as("events that went through").isEqualTo(run.registered).isGreaterThan(TRANSACTIONS);
		assertThat(run.checkpoint.confirmableLsn()).as("everything acked and idle").isEqualTo(run.lastLsn);
		assertThat(run.checkpoint.inFlight()).isZero();
	}

	@Test
	void permanentFailureUnderConcurrentAcksFreezesTheWatermarkJustBeforeTheFailedTransaction() throws Exception {
		Run run = run(FAILED_EVENT);

		assertThat(this.violation.get()).as("seed %d", this.seed).isNull();
		FailedEvent failure = run.checkpoint.failure();
		assertThat(failure).isNotNull();
		assertThat(failure.lsn()).isEqualTo(run.failedLsn);
		assertThat(run.checkpoint.confirmableLsn())
			.as("seed %d: the last commit, or a later keepalive, before the failed transaction", this.seed)
			.isBetween(run.lastCommitBeforeFailure, run.lastPositionBeforeFailure);
	}

	/**
	 * Streams {@link #TRANSACTIONS} transactions through a checkpoint; acks every event except
	 * the one registered as number {@code failEvent}, which is failed.
	 */
	private Run run(long failEvent) throws Exception {
		LsnCheckpoint checkpoint = new LsnCheckpoint(CAPACITY, 0);
		BlockingQueue<long[]> sent = new LinkedBlockingQueue<>();
		AtomicBoolean readerDone = new AtomicBoolean();
		AtomicBoolean stop = new AtomicBoolean();
		AtomicLong acked = new AtomicLong();
		Run run = new Run(checkpoint, acked);
		Future<?> reader = this.pool.submit(() -> {
			try {
				read(checkpoint, sent, failEvent, run);
				return null;
			}
			finally {
				readerDone.set(true);
			}
		});
		List<Future<?>> ackers = new ArrayList<>();
		for (int i = 0; i < ACKERS; i++) {
			Random random = new Random(this.seed + i);
			ackers.add(this.pool.submit(() -> acknowledge(checkpoint, sent, readerDone, random, acked)));
		}
		Future<?> status = this.pool.submit(() -> watch(checkpoint, stop));
		reader.get(2, TimeUnit.MINUTES);
		for (Future<?> acker : ackers) {
			acker.get(2, TimeUnit.MINUTES);
		}
		stop.set(true);
		status.get(1, TimeUnit.MINUTES);
		return run;
	}

	/**
	 * The reader: LSNs grow by 10 per event and per commit; a keepalive position (commit + 5)
	 * sometimes follows a commit, below the next event's LSN as F3 guarantees.
	 */
	private void read(LsnCheckpoint checkpoint, BlockingQueue<long[]> sent, long failEvent, Run run)
			throws InterruptedException {
		Random random = new Random(this.seed);
		long lsn = 0;
		long lastCommit = 0;
		long lastPositionBetweenTransactions = 0;
		for (int t = 0; t < TRANSACTIONS; t++) {
			checkpoint.beginTransaction();
			int events = (random.nextInt(10) == 0) ? random.nextInt(3 * CAPACITY) : random.nextInt(4);
			for (int e = 0; e < events; e++) {
				lsn += 10;
				long ticket;
				while ((ticket = checkpoint.tryRegister("t" + t + "e" + e, lsn)) == LsnCheckpoint.NO_CAPACITY) {
					if (!checkpoint.awaitCapacity(30, TimeUnit.SECONDS)) {
						if (checkpoint.failure() != null) {
							return; // the relay stops reading after a permanent failure
						}
						throw new AssertionError("no capacity within 30 s: " + checkpoint);
					}
				}
				boolean fail = run.registered++ == failEvent;
				if (fail) {
					run.failedLsn = lsn;
					run.lastCommitBeforeFailure = lastCommit;
					run.lastPositionBeforeFailure = lastPositionBetweenTransactions;
				}
				sent.add(new long[] { ticket, lsn, fail ? 1 : 0 });
				if (random.nextInt(8) == 0) {
					checkpoint.observeReceivedLsn(lsn); // a position inside the open transaction
				}
			}
			lsn += 10;
			checkpoint.commitTransaction(lsn);
			lastCommit = lsn;
			lastPositionBetweenTransactions = lsn;
			if (random.nextInt(4) == 0) {
				checkpoint.observeReceivedLsn(lsn + 5);
				lastPositionBetweenTransactions = lsn + 5;
			}
		}
		lsn += 10;
		checkpoint.observeReceivedLsn(lsn);
		run.lastLsn = lsn;
	}

	private void acknowledge(LsnCheckpoint checkpoint, BlockingQueue<long[]> sent, AtomicBoolean readerDone,
			Random random, AtomicLong acked) {
		List<long[]> batch = new ArrayList<>();
		while (!readerDone.get() || !sent.isEmpty()) {
			batch.clear();
			sent.drainTo(batch, 1 + random.nextInt(2 * CAPACITY));
			if (batch.isEmpty()) {
				LockSupport.parkNanos(20_000);
				continue;
			}
			Collections.shuffle(batch, random);
			for (long[] event : batch) {
				long confirmable = checkpoint.confirmableLsn();
				if (confirmable >= event[1]) {
					this.violation.compareAndSet(null,
							"confirmable " + confirmable + " reached unacknowledged event at " + event[1]);
				}
				if (event[2] == 1) {
					checkpoint.fail(event[0], new RuntimeException("rejected for good"));
				}
				else {
					checkpoint.ack(event[0]);
					acked.incrementAndGet();
				}
			}
		}
	}

	private void watch(LsnCheckpoint checkpoint, AtomicBoolean stop) {
		long previous = 0;
		while (!stop.get()) {
			long confirmable = checkpoint.confirmableLsn();
			if (confirmable < previous) {
				this.violation.compareAndSet(null, "confirmable moved back from " + previous + " to " + confirmable);
			}
			previous = confirmable;
			int inFlight = checkpoint.inFlight();
			if (inFlight < 0 || inFlight > CAPACITY) {
				this.violation.compareAndSet(null, "in flight " + inFlight + " outside [0, " + CAPACITY + "]");
			}
			LockSupport.parkNanos(50_000);
		}
	}

	/** What a run produced; the reader's fields are read after its future completed. */
	private static final class Run {

		final LsnCheckpoint checkpoint;

		final AtomicLong acked;

		long registered;

		long lastLsn;

		long failedLsn = -1;

		long lastCommitBeforeFailure = -1;

		long lastPositionBeforeFailure = -1;

		Run(LsnCheckpoint checkpoint, AtomicLong acked) {
			this.checkpoint = checkpoint;
			this.acked = acked;
		}

	}

}
