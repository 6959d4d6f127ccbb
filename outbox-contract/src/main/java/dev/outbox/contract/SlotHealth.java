package dev.outbox.contract;

import org.jspecify.annotations.Nullable;

/**
 * The verdict of {@link SlotHealthRule} on one slot.
 *
 * @param level how bad it is
 * @param cause which edge of the rule decided it
 * @param reason what is wrong, with the figures, or {@code null} when {@link Level#UP}
 */
public record SlotHealth(Level level, Cause cause, @Nullable String reason) {

	/** How bad a slot's state is, from best. */
	public enum Level {

		/** Nothing to do. */
		UP,

		/** Someone should look: the slot is heading for trouble, nothing is lost yet. */
		WARNING,

		/** Events are at risk or already lost, or the disk is filling. */
		DOWN

	}

	/** Which edge of the rule decided the level. */
	public enum Cause {

		/** No edge reached. */
		NONE,

		/** Retained WAL reached the warning threshold. */
		RETAINED_WAL_WARNING,

		/** {@code wal_status=unreserved}: WAL the slot needs may be removed at the next checkpoint. */
		UNRESERVED,

		/** Retained WAL reached the critical threshold. */
		RETAINED_WAL_CRITICAL,

		/**
		 * The server invalidated the slot ({@code wal_status=lost}, or a cause as
		 * {@link SlotInvalidation}): WAL it needed is gone, or it can no longer be decoded.
		 */
		LOST

	}

}
