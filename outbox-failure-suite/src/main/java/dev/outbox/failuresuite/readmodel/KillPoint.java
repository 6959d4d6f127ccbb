package dev.outbox.failuresuite.readmodel;

import java.util.concurrent.locks.LockSupport;

/**
 * A poller's fixed kill point, for the lab's fault {@code poller-kill-9}: after Kafka acknowledged
 * the {@code parkAfterBatch}-th batch this process sent, and before the poller records it (saves its
 * mark, or marks the rows sent), the poller prints {@value #PARKED} and parks for good, so that a
 * {@code kill -9} then leaves a batch in Kafka that the restarted poller sends again, for certain.
 * Set by the system property {@value #PROPERTY}; unset or 0, never.
 */
public final class KillPoint {

	/** System property: the batch (counted from 1 in this process) after whose acknowledgement the poller parks. */
	static final String PROPERTY = "outbox.lab.park-after-batch";

	/** What a poller parked at its kill point prints. */
	static final String PARKED = "poller: parked after Kafka acknowledged the batch, before recording it";

	/** A kill point that never parks. */
	static final KillPoint NEVER = new KillPoint(0);

	private final long parkAfterBatch;

	private long batches;

	/**
	 * @param parkAfterBatch the acknowledged batch after which to park; 0 for never
	 */
	KillPoint(long parkAfterBatch) {
		if (parkAfterBatch < 0) {
			throw new IllegalArgumentException(PROPERTY + " must be 0 (never) or the batch to park after, was "
					+ parkAfterBatch);
		}
		this.parkAfterBatch = parkAfterBatch;
	}

	/** @return the kill point {@value #PROPERTY} sets, or {@link #NEVER} */
	static KillPoint fromSystemProperty() {
		return new KillPoint(Long.getLong(PROPERTY, 0));
	}

	/**
	 * Called by the poller when Kafka acknowledged a batch, before it records it: parks for good when
	 * this is the batch to park after.
	 * @param rows the batch's rows
	 */
	void acknowledged(int rows) {
		if (++this.batches != this.parkAfterBatch) {
			return;
		}
		System.out.println(PARKED + ": batch " + this.batches + ", " + rows + " rows");
		System.out.flush();
		while (true) {
			LockSupport.park(this); // until killed
			Thread.interrupted(); // an interrupt does not end the park: only the kill does
		}
	}

	/** @return whether this kill point parks at all */
	boolean parks() {
		return this.parkAfterBatch > 0;
	}

}
