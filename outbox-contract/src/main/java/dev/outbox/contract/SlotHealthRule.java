package dev.outbox.contract;

import dev.outbox.contract.SlotHealth.Cause;
import dev.outbox.contract.SlotHealth.Level;

/**
 * The one rule that turns the relay's replication slot into UP, WARNING or DOWN. The starter's
 * {@code outbox} health indicator ({@code outbox.health.retained-wal-*}) and the relay's
 * {@code outboxRelay} indicator ({@code outbox.relay.retained-wal-*}) both apply it, so the same
 * slot never reads differently on the two sides.
 * <p>
 * The edges, checked in this order (the first that holds decides):
 * <ol>
 * <li>An invalidated slot ({@code wal_status=lost}, or an invalidation cause read by
 * {@link #INVALIDATION_SQL}) is DOWN, whatever the figures say: the slot can no longer be streamed
 * from, and events committed in WAL the relay had not read are never published. The reason names
 * the cause ({@link SlotInvalidation}) and its fix.</li>
 * <li>Retained WAL {@code >=} the critical threshold is DOWN. Thresholds are inclusive ("from",
 * not "above"), so a threshold of 3GB fires at exactly 3GB.</li>
 * <li>{@code wal_status=unreserved} is at least WARNING, even below the warning threshold: the slot
 * has outgrown {@code max_slot_wal_keep_size} and loses WAL at the next checkpoint unless its
 * consumer catches up.</li>
 * <li>Retained WAL {@code >=} the warning threshold is WARNING.</li>
 * <li>Otherwise UP, including {@code reserved}, {@code extended}, an unknown or absent
 * {@code wal_status}, and an inactive slot: a consumer that is away does no harm until WAL
 * grows, and the thresholds catch that.</li>
 * </ol>
 * Retained WAL is what {@link #RETAINED_WAL_SQL} measures: from the slot's {@code restart_lsn}
 * (the oldest WAL it keeps on disk, not {@code confirmed_flush_lsn}, which is how far the consumer
 * got) to the server's WAL position. A {@code null} figure (no {@code restart_lsn}) applies no
 * threshold; a negative one (a standby whose replay is behind the slot) counts as nothing retained.
 * A critical threshold at or below the warning one makes WARNING by retained WAL unreachable;
 * the starter refuses such settings at startup.
 * <p>
 * <b>Not in the rule, on purpose</b>: a missing slot, and how the level combines with the rest of
 * each indicator. Both sides report a missing slot as DOWN, but the relay knows more (while it is
 * starting it is about to create the slot, so it stays UNKNOWN), and its WARNING never hides a
 * worse state of its pipeline. Those decisions belong to each indicator.
 * <p>
 * Pure and thread-safe.
 */
public final class SlotHealthRule {

	/**
	 * SQL expression of the server's WAL position: {@code pg_current_wal_lsn()} on a primary,
	 * {@code pg_last_wal_replay_lsn()} on a standby (where {@code pg_current_wal_lsn()} fails:
	 * recovery is in progress).
	 */
	public static final String WAL_POSITION_SQL = "CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() "
			+ "ELSE pg_current_wal_lsn() END";

	/**
	 * SQL expression, over a row of {@code pg_replication_slots}, of the WAL the slot retains in
	 * bytes ({@code numeric}, {@code null} without a {@code restart_lsn}): the distance from
	 * {@code restart_lsn} to {@link #WAL_POSITION_SQL}. Both sides select it, cast to
	 * {@code bigint}.
	 */
	public static final String RETAINED_WAL_SQL = "pg_wal_lsn_diff(" + WAL_POSITION_SQL + ", restart_lsn)";

	/**
	 * SQL expression, over a row of {@code pg_replication_slots} aliased {@code s}, of why the slot
	 * is invalidated ({@link SlotInvalidation#of(String)} reads it), or {@code null} for a valid slot.
	 * The same on PostgreSQL 15 to 18, whose columns differ: it reads the row as JSON so that a
	 * column the server lacks is {@code null} instead of an error.
	 * <ul>
	 * <li>17+ name the cause in {@code invalidation_reason} ({@code wal_removed},
	 * {@code rows_removed}, {@code wal_level_insufficient}, 18: {@code idle_timeout}).</li>
	 * <li>16 has only {@code conflicting}, true for <em>any</em> invalidated logical slot, and
	 * keeps the slot's {@code restart_lsn}, so a slot whose WAL was just removed reads
	 * {@code unreserved} (while the segments are still on disk, or a walsender holds it) before
	 * {@code lost}. Recovery conflicts happen only on a standby, so it is {@code conflict} only in
	 * recovery and while {@code wal_status} is not {@code lost}; otherwise {@code wal_removed}.</li>
	 * <li>15 has neither: {@code wal_status=lost} is {@code wal_removed}, the only cause there.</li>
	 * </ul>
	 */
	public static final String INVALIDATION_SQL = "CASE WHEN to_jsonb(s) ->> 'invalidation_reason' IS NOT NULL "
			+ "THEN to_jsonb(s) ->> 'invalidation_reason' "
			+ "WHEN (to_jsonb(s) ->> 'conflicting')::boolean AND pg_is_in_recovery() "
			+ "AND s.wal_status IS DISTINCT FROM 'lost' THEN 'conflict' "
			+ "WHEN (to_jsonb(s) ->> 'conflicting')::boolean OR s.wal_status = 'lost' THEN 'wal_removed' END";

	private SlotHealthRule() {
	}

	/**
	 * Decides the health of an existing slot.
	 * @param facts the slot as read
	 * @param warningBytes retained WAL from which the slot is WARNING
	 * @param criticalBytes retained WAL from which the slot is DOWN
	 * @return the level, the edge that decided it, and why
	 */
	public static SlotHealth evaluate(SlotFacts facts, long warningBytes, long criticalBytes) {
		long retained = (facts.retainedWalBytes() != null) ? Math.max(0, facts.retainedWalBytes()) : -1;
		boolean measured = retained >= 0;
		SlotInvalidation invalidation = facts.invalidation();
		if (invalidation != null) {
			return new SlotHealth(Level.DOWN, Cause.LOST, "the slot is invalidated (cause "
					+ invalidation.label() + ", wal_status=" + facts.walStatus() + "): " + invalidation.what()
					+ ", so events committed in WAL the relay had not read are never published; to prevent it: "
					+ invalidation.fix());
		}
		if (measured && retained >= criticalBytes) {
			return new SlotHealth(Level.DOWN, Cause.RETAINED_WAL_CRITICAL,
					reached(retained, "critical", criticalBytes));
		}
		if (facts.isUnreserved()) {
			return new SlotHealth(Level.WARNING, Cause.UNRESERVED, "the slot's wal_status is 'unreserved': it retains "
					+ "more WAL than max_slot_wal_keep_size allows and loses WAL at the next checkpoint unless the "
					+ "relay catches up");
		}
		if (measured && retained >= warningBytes) {
			return new SlotHealth(Level.WARNING, Cause.RETAINED_WAL_WARNING, reached(retained, "warning", warningBytes));
		}
		return new SlotHealth(Level.UP, Cause.NONE, null);
	}

	private static String reached(long retained, String which, long threshold) {
		return "retained WAL (" + retained + " bytes) reached the " + which + " threshold (" + threshold + " bytes)";
	}

}
