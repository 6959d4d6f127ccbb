package dev.outbox.failuresuite.lab;

/**
 * Slot 4: when a capture records progress. For the polling captures {@link #AS_SHIPPED} is theirs
 * (mark after the send); {@link Capture#DUAL_WRITE} has none to record.
 */
public enum Checkpoint implements Choice {

	/** As shipped: the relay confirms a WAL position only after Kafka acknowledged everything before it. */
	AS_SHIPPED,

	/**
	 * Lab only: confirm as soon as a record is handed to the producer, before Kafka's
	 * acknowledgement. Built in the lab from the relay's roles; no setting of the relay jar reaches it.
	 */
	CONFIRM_ON_SEND

}
