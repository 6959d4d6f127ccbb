package dev.outbox.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * What a write mode left in its outbox table over the JPA run of (e), from
 * {@code pg_stat_user_tables} (the tables are new in that run, so the counters are the run's):
 * rows inserted and deleted (every DELETE leaves a dead tuple for VACUUM), dead tuples still
 * there, autovacuum runs, and the table's size with its indexes and TOAST. PostgreSQL 15 keeps
 * no vacuum time per table ({@code total_autovacuum_time} arrived in 18), so autovacuum work is
 * counted in runs.
 *
 * @param inserted {@code n_tup_ins}
 * @param deleted {@code n_tup_del}: dead tuples made
 * @param deadNow {@code n_dead_tup} at the end
 * @param autovacuums {@code autovacuum_count}
 * @param totalBytes {@code pg_total_relation_size}
 */
public record TableActivity(long inserted, long deleted, long deadNow, long autovacuums, long totalBytes) {

	/**
	 * Reads a table's counters.
	 * @param database the write-path database
	 * @param table the table, in schema {@code public}
	 * @return its activity
	 * @throws SQLException if the query fails
	 */
	public static TableActivity read(Database database, String table) throws SQLException {
		try (Connection connection = database.connect();
				PreparedStatement query = connection.prepareStatement("SELECT n_tup_ins, n_tup_del, n_dead_tup, "
						+ "autovacuum_count, pg_total_relation_size(relid) FROM pg_stat_user_tables "
						+ "WHERE schemaname = 'public' AND relname = ?")) {
			query.setString(1, table);
			try (ResultSet row = query.executeQuery()) {
				if (!row.next()) {
					throw new SQLException("no table public." + table + " in pg_stat_user_tables");
				}
				return new TableActivity(row.getLong(1), row.getLong(2), row.getLong(3), row.getLong(4), row.getLong(5));
			}
		}
	}

	/**
	 * Scales a count to 100,000 events.
	 * @param count a counter of this table
	 * @param events events written in the mode
	 * @return count per 100,000 events, 0 without events
	 */
	public static double per100k(long count, long events) {
		return (events > 0) ? count * 100_000.0 / events : 0;
	}

}
