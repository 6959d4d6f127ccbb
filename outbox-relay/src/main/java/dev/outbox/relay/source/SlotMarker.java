package dev.outbox.relay.source;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Remembers, outside the relay process, that the relay created its slot: a comment on the
 * publication, {@code outbox-relay slot=<name>}.
 * <p>
 * Why: a slot that disappears (dropped by hand, or by a tool) takes the unread WAL with it. A relay
 * that simply created a new slot on its next start would stream from the current position and
 * skip, silently, every event committed in between. With the marker, a missing slot whose marker
 * is present is treated as lost: the relay stays DOWN until an operator reconciles and clears the
 * marker ({@code COMMENT ON PUBLICATION ... IS NULL}). The marker is best effort: writing it needs
 * ownership of the publication; without it the protection holds only for the running process,
 * and the relay logs a warning saying so.
 */
final class SlotMarker {

	private static final Log logger = LogFactory.getLog(SlotMarker.class);

	private static final String PREFIX = "outbox-relay slot=";

	private SlotMarker() {
	}

	static boolean isMarked(Connection connection, String publication, String slotName) throws SQLException {
		String comment = comment(connection, publication);
		return comment != null && comment.startsWith(PREFIX + slotName + " ");
	}

	static void mark(Connection connection, String publication, String slotName, String lsn) {
		String text = PREFIX + slotName + " created at " + lsn
				+ "; if this slot is dropped, events may be lost: see the relay's README before clearing this comment";
		try (Statement statement = connection.createStatement()) {
			statement.execute("COMMENT ON PUBLICATION " + ReplicationSetup.quote(publication) + " IS '"
					+ text.replace("'", "''") + "'");
		}
		catch (SQLException ex) {
			logger.warn("Cannot mark publication " + publication + " with the slot it feeds (" + ex.getMessage()
					+ "): if slot " + slotName + " is ever dropped, a restarted relay will not notice the gap. "
					+ "Let the relay's role own the publication to enable this protection");
		}
	}

	static String clearInstruction(String publication) {
		return "Once reconciled, clear the marker and restart: COMMENT ON PUBLICATION "
				+ ReplicationSetup.quote(publication) + " IS NULL";
	}

	private static @Nullable String comment(Connection connection, String publication) throws SQLException {
		try (PreparedStatement statement = connection
			.prepareStatement("SELECT obj_description(oid, 'pg_publication') FROM pg_publication WHERE pubname = ?")) {
			statement.setString(1, publication);
			try (ResultSet row = statement.executeQuery()) {
				return row.next() ? row.getString(1) : null;
			}
		}
	}

}
