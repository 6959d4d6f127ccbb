package dev.outbox.relay.source;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The server's current timeline: a promoted standby starts a new one, a crash restart keeps it. Read
 * as the first eight hex digits of the name of the WAL file being written ({@code pg_walfile_name},
 * which any role may call); 0 on a standby, or where the server refuses the functions, so that
 * nothing else the relay reads depends on them.
 */
public final class ServerTimeline {

	private static final Log logger = LogFactory.getLog(ServerTimeline.class);

	static final String SQL = "SELECT CASE WHEN pg_is_in_recovery() THEN 0 ELSE "
			+ "('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int END";

	private ServerTimeline() {
	}

	/**
	 * @param dataSource ordinary connections to the outbox database
	 * @return the current timeline, or 0 when unknown
	 */
	public static int read(DataSource dataSource) {
		try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
				ResultSet row = statement.executeQuery(SQL)) {
			return row.next() ? row.getInt(1) : 0;
		}
		catch (SQLException ex) {
			logger.debug("Cannot read the server's timeline: " + ex.getMessage());
			return 0;
		}
	}

}
