package dev.outbox.failuresuite.lab;

/**
 * Slot 6: the relay's retained-WAL thresholds and the server's {@code max_slot_wal_keep_size},
 * for {@link Capture#LOG} only, since only it has a replication slot to guard.
 */
public enum SlotGuard implements Choice {

	/** Thresholds and {@code max_slot_wal_keep_size} set. */
	ON,

	/** Neither: the slot retains WAL without limit or warning. */
	OFF

}
