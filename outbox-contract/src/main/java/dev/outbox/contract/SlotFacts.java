package dev.outbox.contract;

import org.jspecify.annotations.Nullable;

/**
 * What {@link SlotHealthRule} needs to know about an existing replication slot, as read from
 * {@code pg_replication_slots}. A missing slot has no facts: each side reports it in its own
 * context (see {@link SlotHealthRule}).
 *
 * @param walStatus the slot's {@code wal_status} ({@code reserved}, {@code extended},
 * {@code unreserved} or {@code lost}), or {@code null} when the server reports none
 * @param retainedWalBytes WAL the slot keeps, as measured by {@link SlotHealthRule#RETAINED_WAL_SQL},
 * or {@code null} when it has no {@code restart_lsn} (a lost slot, or one that never reserved WAL)
 */
public record SlotFacts(@Nullable String walStatus, @Nullable Long retainedWalBytes) {

	/** @return whether the server has invalidated the slot: WAL it needed is gone */
	public boolean isLost() {
		return "lost".equals(this.walStatus);
	}

	/** @return whether WAL the slot needs may be removed at the next checkpoint */
	public boolean isUnreserved() {
		return "unreserved".equals(this.walStatus);
	}

}
