package dev.outbox.relay.pipeline;

import java.util.ArrayDeque;

/**
 * How far the relay is behind, in time: now minus the commit time of the oldest transaction
 * whose events are not all acknowledged by Kafka, zero when nothing is pending. Pgoutput's Begin
 * carries each transaction's commit time; the reader records it here with the transaction's
 * commit end LSN. A transaction is settled once the checkpoint's confirmable position reaches
 * that end LSN (rule R1 of {@link dev.outbox.relay.checkpoint.LsnCheckpoint}: every event of it,
 * and of every earlier transaction, is acknowledged). A transaction without outbox events is
 * never recorded: it has nothing to wait for.
 * <p>
 * Memory: only transactions with at least one event are kept, and settled ones are dropped at
 * each commit, so at most {@code outbox.relay.max-in-flight} entries remain.
 * <p>
 * Threads: the reader thread writes ({@link #begin}, {@link #event}, {@link #commit}); metrics
 * read ({@link #lagMillis}) from any thread. Reading never changes what the reader sees.
 */
final class CommitLag {

	/** Committed transactions with events, oldest first: {end LSN, commit millis}. */
	private final ArrayDeque<long[]> committed = new ArrayDeque<>();

	private long openCommitMillis;

	private boolean openHasEvents;

	/**
	 * A transaction begins. Reader thread only.
	 * @param commitMillis its commit time (from pgoutput's Begin), epoch milliseconds
	 */
	synchronized void begin(long commitMillis) {
		this.openCommitMillis = commitMillis;
		this.openHasEvents = false;
	}

	/** The open transaction registered an event. Reader thread only. */
	synchronized void event() {
		this.openHasEvents = true;
	}

	/**
	 * The open transaction's Commit was read. Reader thread only.
	 * @param endLsn the Commit's end LSN
	 * @param confirmableLsn the checkpoint's confirmable position now, to drop settled entries
	 */
	synchronized void commit(long endLsn, long confirmableLsn) {
		if (this.openHasEvents) {
			this.committed.addLast(new long[] { endLsn, this.openCommitMillis });
		}
		this.openHasEvents = false;
		dropSettled(confirmableLsn);
	}

	/**
	 * The lag now.
	 * @param nowMillis the current time, epoch milliseconds
	 * @param confirmableLsn the checkpoint's confirmable position
	 * @param inFlight events sent and not yet acknowledged
	 * @return milliseconds since the commit of the oldest transaction not all acknowledged, or 0
	 */
	synchronized long lagMillis(long nowMillis, long confirmableLsn, int inFlight) {
		for (long[] entry : this.committed) {
			if (Long.compareUnsigned(entry[0], confirmableLsn) > 0) {
				return Math.max(0, nowMillis - entry[1]);
			}
		}
		if (this.openHasEvents && inFlight > 0) {
			return Math.max(0, nowMillis - this.openCommitMillis);
		}
		return 0;
	}

	private void dropSettled(long confirmableLsn) {
		while (!this.committed.isEmpty() && Long.compareUnsigned(this.committed.peekFirst()[0], confirmableLsn) <= 0) {
			this.committed.removeFirst();
		}
	}

}
