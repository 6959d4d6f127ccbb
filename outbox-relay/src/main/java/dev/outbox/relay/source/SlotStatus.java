package dev.outbox.relay.source;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import org.jspecify.annotations.Nullable;
import org.postgresql.replication.LogSequenceNumber;

import dev.outbox.contract.SlotFacts;
import dev.outbox.contract.SlotHealthRule;
import dev.outbox.contract.SlotInvalidation;

/**
 * One reading of a replication slot in {@code pg_replication_slots}, with the server's current
 * WAL position.
 *
 * @param slotName the slot
 * @param plugin output plugin ({@code pgoutput})
 * @param database database the slot belongs to
 * @param active whether a WAL sender streams from it now
 * @param activePid process id of that WAL sender, or {@code null}
 * @param walStatus {@code reserved}, {@code extended}, {@code unreserved} or {@code lost}
 * @param restartLsn oldest WAL the slot retains
 * @param confirmedFlushLsn position the consumer has confirmed
 * @param safeWalSize bytes that can still be written before the slot is at risk of being lost, or
 * {@code null} when {@code max_slot_wal_keep_size} is unlimited
 * @param currentWalLsn the server's WAL position ({@link SlotHealthRule#WAL_POSITION_SQL}: the write
 * position, or the replay position on a standby)
 * @param retainedWal WAL the slot retains ({@link SlotHealthRule#RETAINED_WAL_SQL}), or {@code null}
 * without a {@code restart_lsn}
 * @param invalidationCause why the server invalidated the slot ({@link SlotHealthRule#INVALIDATION_SQL},
 * the same on PostgreSQL 15 to 18), or {@code null} for a valid slot
 * @param failover whether the slot follows a failover ({@code failover}, PostgreSQL 17 and later;
 * {@code false} before)
 */
public record SlotStatus(String slotName, String plugin, String database, boolean active, @Nullable Integer activePid,
		@Nullable String walStatus, long restartLsn, long confirmedFlushLsn, @Nullable Long safeWalSize,
		long currentWalLsn, @Nullable Long retainedWal, @Nullable String invalidationCause, boolean failover) {

	private static final String QUERY = "SELECT plugin, database, active, active_pid, wal_status, restart_lsn::text, "
			+ "confirmed_flush_lsn::text, safe_wal_size, (" + SlotHealthRule.WAL_POSITION_SQL + ")::text, ("
			+ SlotHealthRule.RETAINED_WAL_SQL + ")::bigint, " + SlotHealthRule.INVALIDATION_SQL
			+ ", coalesce((to_jsonb(s) ->> 'failover')::boolean, false)"
			+ " FROM pg_replication_slots s WHERE slot_name = ?";

	/**
	 * Reads a slot.
	 * @param connection an ordinary connection
	 * @param slotName the slot
	 * @return its status, or {@code null} when no such slot exists
	 * @throws SQLException when the query fails
	 */
	public static @Nullable SlotStatus read(Connection connection, String slotName) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(QUERY)) {
			statement.setString(1, slotName);
			try (ResultSet row = statement.executeQuery()) {
				if (!row.next()) {
					return null;
				}
				return new SlotStatus(slotName, row.getString(1), row.getString(2), row.getBoolean(3),
						(Integer) row.getObject(4), row.getString(5), lsn(row.getString(6)), lsn(row.getString(7)),
						row.getObject(8, Long.class), lsn(row.getString(9)), row.getObject(10, Long.class),
						row.getString(11), row.getBoolean(12));
			}
		}
	}

	private static long lsn(@Nullable String text) {
		return (text != null) ? LogSequenceNumber.valueOf(text).asLong() : 0L;
	}

	/** @return bytes of WAL the slot keeps on disk ({@link #retainedWal()}, 0 when unknown or negative) */
	public long retainedBytes() {
		return (this.retainedWal != null) ? Math.max(0, this.retainedWal) : 0;
	}

	/** @return what {@link dev.outbox.contract.SlotHealthRule} decides on */
	public SlotFacts facts() {
		return new SlotFacts(this.walStatus, this.retainedWal, this.invalidationCause);
	}

	/** @return bytes written since the confirmed position ({@code current - confirmed_flush_lsn}) */
	public long lagBytes() {
		return (this.confirmedFlushLsn == 0) ? 0 : Math.max(0, this.currentWalLsn - this.confirmedFlushLsn);
	}

	/** @return whether the server has invalidated the slot ({@link SlotFacts#isLost()}) */
	public boolean isLost() {
		return facts().isLost();
	}

	/** @return why the server invalidated the slot, or {@code null} for a valid slot */
	public @Nullable SlotInvalidation invalidation() {
		return facts().invalidation();
	}

}
