package dev.outbox.relay.slot;

import org.jspecify.annotations.Nullable;

/**
 * Decides whether a missing slot may be created: not when a relay depended on it before (this
 * process streamed it, or the slot history has a record of it), since the slot took the WAL of
 * every event committed after its confirmed position with it, and a new slot starts at the
 * current position. Only the operator can decide to go on past that gap, by setting
 * {@code outbox.relay.allow-slot-recreation=true}.
 */
public final class SlotRecreation {

	/** The override, as it is written in messages. */
	public static final String OVERRIDE = "outbox.relay.allow-slot-recreation=true";

	private SlotRecreation() {
	}

	/**
	 * @param last the slot's latest history record, or {@code null} when none
	 * @param usedByThisProcess whether this relay process streamed the slot or saw it
	 * @param allowRecreation {@code outbox.relay.allow-slot-recreation}
	 * @param history where the history is kept, for the message
	 * @return why the slot must not be created, or {@code null} when it may be
	 */
	public static @Nullable String refusal(@Nullable SlotHistoryRecord last, boolean usedByThisProcess,
			boolean allowRecreation, String history) {
		if (allowRecreation || (last == null && !usedByThisProcess)) {
			return null;
		}
		String evidence = (last != null)
				? "The relay's slot history (" + history + ") records it: " + last.event().name().toLowerCase()
						+ ", confirmed position " + last.confirmedLsnText() + ", at " + last.at()
				: "This relay process streamed it";
		return evidence + ". A new slot misses the events committed while no slot existed: set " + OVERRIDE
				+ " only for the start after reconciling, and back to false once the relay streams";
	}

}
