package dev.outbox.relay.source;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.postgresql.replication.LogSequenceNumber;
import org.postgresql.replication.ReplicationSlotInfo;

import dev.outbox.relay.event.OutboxRow;
import dev.outbox.relay.source.pgoutput.TimestamptzParser;

/**
 * Creates the relay's slot when it is missing, and runs the initial snapshot
 * ({@code outbox.relay.snapshot-mode=initial}).
 * <p>
 * Snapshot, then stream, with no gap and no double, and safe against a crash at any point:
 * <ol>
 * <li>a <em>temporary</em> slot is created on a replication connection, exporting the snapshot
 * of its consistent point;</li>
 * <li>the rows visible in that snapshot are read (REPEATABLE READ, {@code SET TRANSACTION
 * SNAPSHOT}) and published; the snapshot holds exactly the rows committed before the consistent
 * point, and the slot streams exactly the transactions committed after it;</li>
 * <li>only once Kafka acknowledged every row is the temporary slot copied into the permanent one
 * ({@code pg_copy_logical_replication_slot}), which starts at the same consistent point.</li>
 * </ol>
 * On PostgreSQL 17 and later the slot is created with {@code failover = true}
 * ({@link FailoverSlots}), so that it follows a failover to a standby that synchronises slots, and
 * a slot found without it (created before an upgrade to 17, or by hand) is given it
 * ({@link #followFailovers}), unless {@code outbox.relay.failover-slot} is false.
 * <p>
 * A crash before step 3 leaves no slot (a temporary slot dies with its connection), so the next
 * start snapshots again: duplicates, never a gap. Writers that INSERT and DELETE in one
 * transaction leave no rows, so for them a snapshot is empty and {@code never} is enough.
 */
public final class SlotCreation {

	private static final Log logger = LogFactory.getLog(SlotCreation.class);

	private static final String DUPLICATE_OBJECT = "42710";

	private final ReplicationSetup setup;

	private final ConnectionSettings connectionSettings;

	/**
	 * @param setup the validated table, the slot's settings and ordinary connections
	 * @param connectionSettings where replication connections go
	 */
	public SlotCreation(ReplicationSetup setup, ConnectionSettings connectionSettings) {
		this.setup = setup;
		this.connectionSettings = connectionSettings;
	}

	/**
	 * Handles losing the race to create the slot against another relay starting at the same time:
	 * its slot is as good as ours, and this relay then stands by.
	 */
	private long createdMeanwhile(String slotName, SQLException ex) throws SQLException {
		if (!DUPLICATE_OBJECT.equals(ex.getSQLState())) {
			throw ex;
		}
		try (Connection connection = this.setup.dataSource().getConnection()) {
			SlotStatus slot = SlotStatus.read(connection, slotName);
			if (slot == null) {
				throw ex;
			}
			logger.info("Replication slot " + slotName + " was created by another relay meanwhile");
			return slot.confirmedFlushLsn();
		}
	}

	/**
	 * Lets an existing slot follow a failover from PostgreSQL 17 on, as the slots this class
	 * creates do. Called before a session on a slot no WAL sender streams (altering one in use
	 * fails), after the relay checked that it is not an older copy left by a failover. A refusal
	 * (a role or server that does not allow it) is logged and the relay streams on: the slot then
	 * stays as it was, and a failover stops the relay as before 17.
	 * @param slot the slot as found before a session
	 * @return whether the slot was altered
	 */
	public boolean followFailovers(SlotStatus slot) {
		if (slot.failover() || slot.active() || !this.setup.settings().failoverSlot()) {
			return false;
		}
		try (Connection connection = this.setup.dataSource().getConnection()) {
			if (!failoverSlots(connection)) {
				return false;
			}
		}
		catch (SQLException ex) {
			return false;
		}
		try (ReplicationConnection replication = ReplicationConnection.open(this.connectionSettings.jdbcUrl(),
				this.connectionSettings.username(), this.connectionSettings.password())) {
			replication.enableFailover(slot.slotName());
			logger.info("Replication slot " + slot.slotName() + " did not follow a failover (created before PostgreSQL "
					+ FailoverSlots.FAILOVER_SINCE + " or by hand): set failover = true, as on the slots the relay "
					+ "creates (docs/failover.md)");
			return true;
		}
		catch (SQLException ex) {
			logger.warn("Replication slot " + slot.slotName() + " does not follow a failover, and setting failover = "
					+ "true was refused: " + ex.getMessage() + ". After a failover the relay stops as for a dropped "
					+ "slot. To let it follow, run ALTER_REPLICATION_SLOT " + slot.slotName() + " ( FAILOVER true ) on a "
					+ "replication connection while the relay is stopped (docs/failover.md)");
			return false;
		}
	}

	/** Whether slots follow failovers here: the server can ({@link FailoverSlots}), and the setting wants it. */
	private boolean failoverSlots(Connection connection) throws SQLException {
		return this.setup.settings().failoverSlot() && FailoverSlots.supported(connection);
	}

	/**
	 * Creates the slot, running the snapshot first when configured.
	 * @param publisher publishes the snapshot's rows
	 * @return the slot's consistent point: where streaming starts
	 * @throws Exception when creation or the snapshot fails
	 */
	public long create(SnapshotRows.Publisher publisher) throws Exception {
		String slotName = this.setup.settings().slotName();
		if (!this.setup.settings().initialSnapshot()) {
			try (Connection connection = this.setup.dataSource().getConnection()) {
				boolean failover = failoverSlots(connection);
				try (PreparedStatement statement = connection.prepareStatement(
						"SELECT lsn::text FROM pg_create_logical_replication_slot(?, 'pgoutput'"
								+ (failover ? ", failover => true" : "") + ")")) {
					statement.setString(1, slotName);
					try (ResultSet row = statement.executeQuery()) {
						row.next();
						long lsn = LogSequenceNumber.valueOf(row.getString(1)).asLong();
						logger.info("Created replication slot " + slotName + " at " + row.getString(1)
								+ (failover ? " (failover = true)" : ""));
						return lsn;
					}
				}
			}
			catch (SQLException ex) {
				return createdMeanwhile(slotName, ex);
			}
		}
		String temporary = (slotName.length() > 50 ? slotName.substring(0, 50) : slotName) + "_snapshot";
		try (ReplicationConnection replication = ReplicationConnection.open(this.connectionSettings.jdbcUrl(),
				this.connectionSettings.username(), this.connectionSettings.password())) {
			ReplicationSlotInfo info = replication.createSlot(temporary, true);
			long consistentPoint = info.getConsistentPoint().asLong();
			logger.info("Initial snapshot of " + this.setup.table() + " at " + info.getConsistentPoint().asString());
			try (Connection connection = this.setup.dataSource().getConnection()) {
				connection.setAutoCommit(false);
				try (Statement statement = connection.createStatement()) {
					statement.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
					statement.execute("SET TRANSACTION SNAPSHOT '" + info.getSnapshotName().replace("'", "''") + "'");
					statement.setFetchSize(1000);
					// schema_version is optional (migration V3): read through to_jsonb, null without the column
					try (ResultSet row = statement.executeQuery("SELECT id::text, aggregate_type, aggregate_id, "
							+ "event_type, payload::text, headers::text, created_at::text, "
							+ "(to_jsonb(o) ->> '" + OutboxRowReader.SCHEMA_VERSION + "') FROM " + this.setup.table()
							+ " o ORDER BY created_at, id")) {
						publisher.publish(() -> row.next() ? new OutboxRow(row.getString(1), row.getString(2),
								row.getString(3), row.getString(4), row.getString(5), row.getString(6),
								OutboxRowReader.schemaVersion(row.getString(8), row.getString(1)),
								TimestamptzParser.parse(row.getString(7)), consistentPoint) : null, consistentPoint);
					}
				}
				connection.commit();
			}
			boolean failover;
			try (Connection connection = this.setup.dataSource().getConnection();
					PreparedStatement copy = connection
						.prepareStatement("SELECT pg_copy_logical_replication_slot(?, ?, false)")) {
				copy.setString(1, temporary);
				copy.setString(2, slotName);
				copy.execute();
				failover = failoverSlots(connection);
			}
			catch (SQLException ex) {
				return createdMeanwhile(slotName, ex);
			}
			if (failover) {
				// A copy never inherits failover (a temporary slot cannot have it): set it on the permanent one.
				replication.enableFailover(slotName);
			}
			logger.info("Created replication slot " + slotName + " at " + info.getConsistentPoint().asString()
					+ " after the initial snapshot" + (failover ? " (failover = true)" : ""));
			return consistentPoint;
		}
	}

}
