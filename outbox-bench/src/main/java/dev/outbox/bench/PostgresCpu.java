package dev.outbox.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The CPU a PostgreSQL server on this machine uses, read from {@code /proc}: its postmaster and
 * every process the postmaster forked, backends that ended included
 * ({@link ProcFs#familyTicks}). Read before and after a measurement, it splits the write path's
 * cost per transaction into the server's share and the client's.
 */
public final class PostgresCpu {

	private final long postmasterPid;

	private PostgresCpu(long postmasterPid) {
		this.postmasterPid = postmasterPid;
	}

	/**
	 * Finds the server of a connection: the parent of its backend.
	 * @param connection a connection to a server on this machine
	 * @return the server's CPU reader
	 * @throws SQLException if the backend's pid cannot be read
	 * @throws IllegalStateException if the backend is not a process of this machine
	 */
	public static PostgresCpu of(Connection connection) throws SQLException {
		long backend;
		try (Statement statement = connection.createStatement();
				ResultSet row = statement.executeQuery("SELECT pg_backend_pid()")) {
			row.next();
			backend = row.getLong(1);
		}
		ProcFs.Stat stat = ProcFs.stat(backend);
		if (stat == null) {
			throw new IllegalStateException("PostgreSQL backend " + backend + " is not a process of this machine");
		}
		return new PostgresCpu(stat.parent());
	}

	/** @return the server's CPU ticks so far ({@value ProcFs#TICKS_PER_SECOND} per second), -1 when it is gone */
	public long ticks() {
		return ProcFs.familyTicks(this.postmasterPid);
	}

	/**
	 * Microseconds of CPU per transaction.
	 * @param ticks CPU ticks used by the transactions
	 * @param transactions how many ran
	 * @return microseconds per transaction, 0 without transactions
	 */
	public static double microsPerTransaction(long ticks, double transactions) {
		return (transactions > 0) ? ticks * (1e6 / ProcFs.TICKS_PER_SECOND) / transactions : 0;
	}

}
