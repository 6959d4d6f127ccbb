package dev.outbox.relay.source;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.jspecify.annotations.Nullable;

/**
 * Failover slots, PostgreSQL 17 and later: a logical slot created with {@code failover = true} is
 * copied to physical standbys running {@code sync_replication_slots = on}, so that after a
 * promotion the relay finds its slot on the new primary and goes on from it. Before 17 no slot
 * follows a failover.
 * <p>
 * A synchronised slot is only as good as the primary's {@code synchronized_standby_slots}: with
 * it, the primary sends the relay no change before the standbys named there have flushed it; without
 * it, the relay can publish (and confirm) events from WAL that the standby never received, and after
 * the promotion Kafka holds events the new primary does not have, while the standby's copy of the
 * slot may point past WAL it has. The relay warns at startup when it is empty.
 */
public final class FailoverSlots {

	/** The first PostgreSQL major version whose logical slots can follow a failover. */
	public static final int FAILOVER_SINCE = 17;

	private FailoverSlots() {
	}

	/**
	 * @param connection an ordinary connection to the outbox database
	 * @return whether the server creates slots that follow a failover
	 * @throws SQLException when the server version cannot be read
	 */
	static boolean supported(Connection connection) throws SQLException {
		return connection.getMetaData().getDatabaseMajorVersion() >= FAILOVER_SINCE;
	}

	/**
	 * Reads the server and says what to do when the relay's slot would not follow a failover safely.
	 * @param connection an ordinary connection to the outbox database
	 * @param slotName the relay's slot, for the message
	 * @return the warning, or {@code null} when there is nothing to warn about
	 * @throws SQLException when the setting cannot be read
	 */
	static @Nullable String warning(Connection connection, String slotName) throws SQLException {
		if (!supported(connection)) {
			return null;
		}
		try (Statement statement = connection.createStatement();
				ResultSet row = statement.executeQuery("SELECT pg_is_in_recovery(), current_setting("
						+ "'synchronized_standby_slots')")) {
			row.next();
			return warning(connection.getMetaData().getDatabaseMajorVersion(), row.getBoolean(1), row.getString(2),
					slotName);
		}
	}

	/**
	 * @param majorVersion the server's major version
	 * @param inRecovery whether the server is a standby (the relay cannot stream from one)
	 * @param synchronizedStandbySlots the primary's {@code synchronized_standby_slots}
	 * @param slotName the relay's slot, for the message
	 * @return the warning, or {@code null} when there is nothing to warn about
	 */
	static @Nullable String warning(int majorVersion, boolean inRecovery, @Nullable String synchronizedStandbySlots,
			String slotName) {
		if (majorVersion < FAILOVER_SINCE || inRecovery
				|| (synchronizedStandbySlots != null && !synchronizedStandbySlots.isBlank())) {
			return null;
		}
		return "PostgreSQL " + majorVersion + " runs with synchronized_standby_slots empty: replication slot "
				+ slotName + " (created with failover = true) is synchronised to standbys running "
				+ "sync_replication_slots = on, but the primary sends the relay changes its standbys may not have. "
				+ "After a failover Kafka can then hold events the promoted standby never received, and its copy of "
				+ "the slot can point past the WAL it has, so events can be lost. Fix: on the primary, name the "
				+ "physical slot of every standby that may be promoted: ALTER SYSTEM SET synchronized_standby_slots = "
				+ "'<standby physical slot>'; SELECT pg_reload_conf(); (see docs/failover.md). Without standbys that "
				+ "may take over, ignore this warning";
	}

}
