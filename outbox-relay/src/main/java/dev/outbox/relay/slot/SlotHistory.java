package dev.outbox.relay.slot;

import java.util.Optional;

/**
 * Where the relay keeps what it knows of its slot across restarts and across relays: whether
 * the slot has streamed (or was seen by a standby), and its last confirmed position.
 * <p>
 * {@link #record} never blocks its caller (the reader thread); {@link #lastRecord} blocks and is
 * called only before a slot is to be created.
 */
public interface SlotHistory {

	/**
	 * Reads the latest record of a slot.
	 * @param key the slot
	 * @return the latest record, or empty when no relay ever recorded the slot
	 * @throws IllegalStateException when the history cannot be read (the caller must not create
	 * the slot then)
	 */
	Optional<SlotHistoryRecord> lastRecord(SlotKey key);

	/**
	 * Records what the relay saw of a slot, asynchronously; a failed write is logged, and the
	 * next record replaces it.
	 * @param key the slot
	 * @param record what it saw
	 */
	void record(SlotKey key, SlotHistoryRecord record);

	/** @return where the history is kept, for messages (e.g. {@code topic outbox.relay.slot-history}) */
	String describe();

}
