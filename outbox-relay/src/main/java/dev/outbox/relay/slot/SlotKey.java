package dev.outbox.relay.slot;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Which slot a history record is about: the PostgreSQL cluster (its {@code system_identifier},
 * which a physical standby promoted after a failover keeps, and a new {@code initdb} changes),
 * the database and the slot's name. Written as {@code <system_identifier>/<database>/<slot>}, the
 * key of the slot-history topic.
 *
 * @param systemIdentifier the cluster's {@code system_identifier}
 * @param database the database the slot belongs to
 * @param slotName the slot
 */
public record SlotKey(String systemIdentifier, String database, String slotName) {

	private static final String QUERY = "SELECT system_identifier::text, current_database() FROM pg_control_system()";

	/**
	 * Reads the identity of the database a connection is on. {@code pg_control_system()} is
	 * executable by any role, the relay's least-privileged one included.
	 * @param connection an ordinary connection to the outbox database
	 * @param slotName the slot
	 * @return the key
	 * @throws SQLException when the query fails
	 */
	public static SlotKey read(Connection connection, String slotName) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(QUERY); ResultSet row = statement.executeQuery()) {
			row.next();
			return new SlotKey(row.getString(1), row.getString(2), slotName);
		}
	}

	/** @return {@code <system_identifier>/<database>/<slot>} */
	@Override
	public String toString() {
		return this.systemIdentifier + "/" + this.database + "/" + this.slotName;
	}

}
