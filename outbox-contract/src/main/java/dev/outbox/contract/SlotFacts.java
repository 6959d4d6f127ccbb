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
 * @param invalidationCause why the server invalidated the slot, as {@link SlotHealthRule#INVALIDATION_SQL}
 * reads it ({@link SlotInvalidation#of(String)}), or {@code null} for a valid slot
 */
public record SlotFacts(@Nullable String walStatus, @Nullable Long retainedWalBytes,
		@Nullable String invalidationCause) {

	/**
	 * Facts without an invalidation cause (a valid slot, or one judged by {@code wal_status} alone).
	 * @param walStatus the slot's {@code wal_status}
	 * @param retainedWalBytes WAL the slot keeps
	 */
	public SlotFacts(@Nullable String walStatus, @Nullable Long retainedWalBytes) {
		this(walStatus, retainedWalBytes, null);
	}

	/**
	 * @return whether the server has invalidated the slot: {@code wal_status=lost}, or an
	 * invalidation cause is reported (the slot can no longer be streamed from either way)
	 */
	public boolean isLost() {
		return invalidation() != null;
	}

	/**
	 * @return why the slot is invalidated; {@link SlotInvalidation#WAL_REMOVED} for
	 * {@code wal_status=lost} without a reported cause; {@code null} for a valid slot
	 */
	public @Nullable SlotInvalidation invalidation() {
		SlotInvalidation cause = SlotInvalidation.of(this.invalidationCause);
		if (cause == null && "lost".equals(this.walStatus)) {
			return SlotInvalidation.WAL_REMOVED;
		}
		return cause;
	}

	/**
	 * @return the health detail {@code invalidationCause}, the same in the starter's and the relay's
	 * indicators: the cause's {@link SlotInvalidation#label() label}, or {@code none} for a valid slot
	 */
	public String invalidationLabel() {
		SlotInvalidation cause = invalidation();
		return (cause != null) ? cause.label() : "none";
	}

	/** @return whether WAL the slot needs may be removed at the next checkpoint */
	public boolean isUnreserved() {
		return "unreserved".equals(this.walStatus);
	}

}
