package dev.outbox.bench;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * (a) PostgreSQL's decode ceiling: {@code pg_recvlogical} streams a fresh slot over the backlog
 * with the relay's own pgoutput options (protocol version 1, messages on, the same publication) into
 * {@code /dev/null}, stopping at the end position. This is how fast the walsender can decode
 * and send the backlog when the client does nothing.
 */
public final class PgRecvLogical {

	private PgRecvLogical() {
	}

	/**
	 * Streams a slot to a position.
	 * @param pgBin PostgreSQL's bin directory
	 * @param database the database
	 * @param slot a pgoutput slot created before the backlog
	 * @param endLsn where to stop (the WAL position after the backlog)
	 * @param log where its output goes
	 * @return the time taken and the walsender's CPU
	 * @throws Exception when it fails
	 */
	public static Result run(Path pgBin, Database database, String slot, long endLsn, Path log) throws Exception {
		List<String> command = List.of(pgBin.resolve("pg_recvlogical").toString(), "-d", database.conninfo(), "-S", slot,
				"--start", "-E", Database.lsnText(endLsn), "-o", "proto_version=1", "-o", "messages=true", "-o",
				"publication_names=" + Database.PUBLICATION, "-f", "/dev/null", "-F", "0", "-s", "1", "--no-loop");
		try (CpuWatch walsender = new CpuWatch(() -> walsender(database, slot))) {
			long start = System.nanoTime();
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
				.start();
			if (!process.waitFor(30, TimeUnit.MINUTES)) {
				process.destroyForcibly();
				throw new IllegalStateException("pg_recvlogical did not finish; see " + log);
			}
			double seconds = (System.nanoTime() - start) / 1e9;
			if (process.exitValue() != 0) {
				throw new IllegalStateException("pg_recvlogical exited with " + process.exitValue() + "; see " + log);
			}
			long confirmed = database.confirmedLsn(slot);
			if (Long.compareUnsigned(confirmed, endLsn) < 0) {
				throw new IllegalStateException("pg_recvlogical stopped at " + Database.lsnText(confirmed) + " before "
						+ Database.lsnText(endLsn) + "; see " + log);
			}
			return new Result(seconds, walsender.cpuSeconds());
		}
	}

	private static long walsender(Database database, String slot) {
		try {
			return database.walsenderPid(slot);
		}
		catch (SQLException ex) {
			return 0;
		}
	}

	/**
	 * What the run took.
	 * @param seconds wall time, connection included
	 * @param walsenderCpuSeconds CPU of the walsender that decoded
	 */
	public record Result(double seconds, double walsenderCpuSeconds) {
	}

}
