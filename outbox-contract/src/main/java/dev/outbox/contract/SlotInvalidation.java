package dev.outbox.contract;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * Why PostgreSQL invalidated a replication slot, read the same way on PostgreSQL 15 to 18 by
 * {@link SlotHealthRule#INVALIDATION_SQL}, with what an operator changes so that it does not
 * happen again.
 * <p>
 * The servers report it differently (see {@link SlotHealthRule#INVALIDATION_SQL}): 17+ name it in
 * {@code invalidation_reason}; 16 has only {@code conflicting}, true for <em>any</em> invalidated
 * logical slot (one that lost its WAL too), so it counts as a conflict only on a standby and while
 * {@code wal_status} is not {@code lost}; 15 has neither, and a slot there is invalidated only by
 * removed WAL ({@code wal_status=lost}). On a 16 standby a slot invalidated by a recovery conflict
 * that also reads {@code lost} is reported as {@link #WAL_REMOVED}: 16 does not say which.
 */
public enum SlotInvalidation {

	/**
	 * PostgreSQL removed WAL the slot still needed: it retained more than
	 * {@code max_slot_wal_keep_size} allows.
	 */
	WAL_REMOVED("wal_removed", "PostgreSQL removed WAL the slot still needed (it retained more than "
			+ "max_slot_wal_keep_size allows)", "raise max_slot_wal_keep_size (or -1, unlimited) and keep the relay "
			+ "running, so that the slot retains less WAL"),

	/**
	 * On a standby, the primary removed rows the slot still needed to decode (17+:
	 * {@code rows_removed}).
	 */
	ROWS_REMOVED("rows_removed", "the primary removed catalog rows the standby's slot still needed (a recovery "
			+ "conflict)", "set hot_standby_feedback=on on the standby and primary_slot_name to a physical slot on "
			+ "the primary"),

	/** The primary's {@code wal_level} went below {@code logical} (17+: {@code wal_level_insufficient}). */
	WAL_LEVEL_INSUFFICIENT("wal_level_insufficient", "the primary's wal_level went below logical",
			"set wal_level=logical on the primary and restart it"),

	/**
	 * A recovery conflict on a standby, as PostgreSQL 16 reports it ({@code conflicting}): either
	 * {@link #ROWS_REMOVED} or {@link #WAL_LEVEL_INSUFFICIENT}; 16 does not say which.
	 */
	CONFLICT("conflict", "a recovery conflict on the standby (the primary removed rows the slot needed, or its "
			+ "wal_level went below logical)", "set wal_level=logical on the primary, hot_standby_feedback=on on the "
			+ "standby and primary_slot_name to a physical slot on the primary"),

	/**
	 * The slot stayed inactive longer than {@code idle_replication_slot_timeout} (18+:
	 * {@code idle_timeout}).
	 */
	IDLE_TIMEOUT("idle_timeout", "the slot stayed inactive longer than idle_replication_slot_timeout",
			"raise idle_replication_slot_timeout (or 0, never) above the longest time the relay may be stopped"),

	/** A cause this version of the relay does not know (a newer PostgreSQL's). */
	OTHER("other", "PostgreSQL invalidated the slot for a reason this relay does not know",
			"see invalidation_reason in pg_replication_slots and the PostgreSQL documentation");

	private final String label;

	private final String what;

	private final String fix;

	SlotInvalidation(String label, String what, String fix) {
		this.label = label;
		this.what = what;
		this.fix = fix;
	}

	/**
	 * Reads the cause {@link SlotHealthRule#INVALIDATION_SQL} selected.
	 * @param label what the query returned: PostgreSQL's {@code invalidation_reason}, or
	 * {@code conflict} or {@code wal_removed} as derived on older versions
	 * @return the cause, {@link #OTHER} for one not known here, or {@code null} for a valid slot
	 * ({@code null} or blank)
	 */
	public static @Nullable SlotInvalidation of(@Nullable String label) {
		if (label == null || label.isBlank()) {
			return null;
		}
		String wanted = label.trim().toLowerCase(Locale.ROOT);
		for (SlotInvalidation cause : values()) {
			if (cause.label.equals(wanted)) {
				return cause;
			}
		}
		return OTHER;
	}

	/** @return the name PostgreSQL 17+ gives it in {@code invalidation_reason} (or the derived one) */
	public String label() {
		return this.label;
	}

	/** @return what happened, in a sentence fragment */
	public String what() {
		return this.what;
	}

	/** @return what to change so that it does not happen again */
	public String fix() {
		return this.fix;
	}

}
