package dev.outbox.relay.source;

import java.nio.ByteBuffer;
import java.sql.SQLException;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * What the {@link ReplicationSource} needs of a started replication stream: pgjdbc's
 * {@code PGReplicationStream} over a {@link ReplicationConnection} in production
 * ({@link #of(ReplicationConnection, org.postgresql.replication.PGReplicationStream)}), a scripted
 * one in unit tests. Reader thread only.
 */
interface ServerStream extends AutoCloseable {

	/**
	 * @return the next message the server sent, starting at its type byte, or {@code null} when
	 * none is pending; never blocks
	 * @throws SQLException when the connection fails
	 */
	@Nullable ByteBuffer readPending() throws SQLException;

	/**
	 * @return the start of the last message received; keepalives move it too, so it is not
	 * "what was processed"
	 */
	long lastReceivedLsn();

	/**
	 * Reports a position as flushed and applied, now.
	 * @param lsn the position
	 * @throws SQLException when the connection fails
	 */
	void confirm(long lsn) throws SQLException;

	/** @return how long the connection has carried nothing from the server */
	Duration silence();

	@Override
	void close();

	/**
	 * @param connection the replication connection, closed with the stream
	 * @param stream the stream started on it
	 * @return the stream as the source uses it
	 */
	static ServerStream of(ReplicationConnection connection, org.postgresql.replication.PGReplicationStream stream) {
		return new ServerStream() {

			@Override
			public @Nullable ByteBuffer readPending() throws SQLException {
				return stream.readPending();
			}

			@Override
			public long lastReceivedLsn() {
				return stream.getLastReceiveLSN().asLong();
			}

			@Override
			public void confirm(long lsn) throws SQLException {
				org.postgresql.replication.LogSequenceNumber position = org.postgresql.replication.LogSequenceNumber
					.valueOf(lsn);
				stream.setFlushedLSN(position);
				stream.setAppliedLSN(position);
				stream.forceUpdateStatus();
			}

			@Override
			public Duration silence() {
				return connection.receiveClock().silence();
			}

			@Override
			public void close() {
				connection.close();
			}

		};
	}

}
