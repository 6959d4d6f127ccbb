package dev.outbox.relay.source;

import java.nio.ByteBuffer;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.postgresql.replication.LogSequenceNumber;
import org.postgresql.replication.PGReplicationStream;

import dev.outbox.contract.TableName;
import dev.outbox.relay.event.InvalidOutboxRowException;
import dev.outbox.relay.source.pgoutput.BeginMessage;
import dev.outbox.relay.source.pgoutput.ChangeFilter;
import dev.outbox.relay.source.pgoutput.CommitMessage;
import dev.outbox.relay.source.pgoutput.InsertMessage;
import dev.outbox.relay.source.pgoutput.PgOutputDecoder;
import dev.outbox.relay.source.pgoutput.PgOutputMessage;
import dev.outbox.relay.source.pgoutput.SkippedMessage;
import dev.outbox.relay.source.pgoutput.SkippedMessage.SkipReason;
import dev.outbox.relay.source.pgoutput.TruncateMessage;

/**
 * One replication session's source: the replication connection streaming the slot through
 * pgoutput, the decoder, and the status updates that confirm positions to the server.
 * <p>
 * Confirms: the source never decides what is confirmable. It reports, every status interval
 * (and on {@link #confirmNow()}), whatever the supplier handed to it returns (the checkpoint's
 * confirmable position), as both flushed and applied LSN. Automatic flushing is off
 * ({@link ReplicationConnection}), so nothing else moves the slot.
 * <p>
 * Silence: the server answers every status update, so a connection that has carried nothing for
 * longer than the replication timeout is taken as lost even though no error shows
 * ({@link #poll} throws), and the session ends.
 * <p>
 * Reader thread only. Uses {@code readPending()}, never the blocking {@code read()}, which
 * misbehaves with a socket timeout in pgjdbc 42.7.11 to 42.7.13 (pgjdbc #4328).
 */
public final class ReplicationSource implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(ReplicationSource.class);

	private static final String SLOT_IN_USE = "55006";

	private final ServerStream stream;

	private final StatusReporter reporter;

	private final PgOutputDecoder decoder;

	private final OutboxRowReader rows = new OutboxRowReader();

	private final Duration replicationTimeout;

	/**
	 * A source over a started stream.
	 * @param stream the stream
	 * @param settings what is streamed and how
	 * @param table the outbox table, whose INSERTs are the events
	 * @param confirmable the position that is safe to confirm, read at every report
	 * @param onConfirmed told of every position reported
	 */
	ReplicationSource(ServerStream stream, StreamSettings settings, TableName table, LongSupplier confirmable,
			LongConsumer onConfirmed) {
		this.stream = stream;
		this.reporter = new StatusReporter(stream, confirmable, settings.statusInterval(), onConfirmed);
		this.decoder = new PgOutputDecoder(ChangeFilter.insertsInto(table.schema(), table.table()));
		this.replicationTimeout = settings.replicationTimeout();
	}

	/**
	 * Opens a replication connection and starts streaming the slot from its confirmed position.
	 * @param settings where the replication connection goes
	 * @param stream what to stream, and how often to report
	 * @param table the outbox table, whose INSERTs are the events
	 * @param confirmable the position that is safe to confirm, read at every report
	 * @param onConfirmed told of every position reported
	 * @return the streaming source
	 * @throws SlotInUseException when another walsender streams the slot
	 * @throws SQLException when the connection or the start fails otherwise
	 */
	public static ReplicationSource start(ConnectionSettings settings, StreamSettings stream, TableName table,
			LongSupplier confirmable, LongConsumer onConfirmed) throws SQLException {
		ReplicationConnection connection = ReplicationConnection.open(settings.jdbcUrl(), settings.username(),
				settings.password());
		try {
			PGReplicationStream started = connection.start(stream.slotName(), stream.publicationName(),
					stream.statusInterval().toMillis());
			return new ReplicationSource(ServerStream.of(connection, started), stream, table, confirmable,
					onConfirmed);
		}
		catch (SQLException ex) {
			connection.close();
			if (SLOT_IN_USE.equals(ex.getSQLState())) {
				throw new SlotInUseException("Replication slot " + stream.slotName()
						+ " is streamed by another relay; standing by to take over (" + ex.getMessage() + ")");
			}
			throw ex;
		}
		catch (RuntimeException ex) {
			connection.close();
			throw ex;
		}
	}

	/**
	 * Reads one message the server has sent, if any, and hands what it means to the listener.
	 * @param listener told of transactions, rows and positions
	 * @return {@code false} when nothing was pending (the listener was told it caught up)
	 * @throws UnreadableRowException when an outbox row breaks the table contract
	 * @throws SQLException when the connection fails
	 * @throws Exception when the listener throws, or the server was silent too long
	 */
	public boolean poll(ChangeListener listener) throws Exception {
		ByteBuffer payload = this.stream.readPending();
		if (payload == null) {
			checkServerHeard();
			listener.caughtUp(this.stream.lastReceivedLsn());
			this.reporter.maybeReport();
			return false;
		}
		long lsn = this.stream.lastReceivedLsn();
		PgOutputMessage message = this.decoder.decode(payload, lsn);
		if (message instanceof BeginMessage begin) {
			listener.begin(begin.commitTime().toEpochMilli());
		}
		else if (message instanceof InsertMessage insert) {
			listener.row(read(insert, lsn));
		}
		else if (message instanceof CommitMessage commit) {
			listener.commit(commit.endLsn(), lsn);
		}
		else if (message instanceof SkippedMessage skipped && skipped.reason() != SkipReason.FILTERED
				&& skipped.reason() != SkipReason.NOT_NEEDED) {
			logger.warn("Skipped pgoutput message '" + skipped.type() + "' at LSN "
					+ LogSequenceNumber.valueOf(lsn).asString() + ": " + skipped.reason().description());
		}
		else if (message instanceof TruncateMessage) {
			logger.warn("TRUNCATE of a published table at LSN " + LogSequenceNumber.valueOf(lsn).asString()
					+ ": rows removed by TRUNCATE make no events (INSERTed rows were already published)");
		}
		this.reporter.maybeReport();
		return true;
	}

	/** @return the reporter, for waits that must keep status updates flowing */
	public StatusReporter reporter() {
		return this.reporter;
	}

	/**
	 * Reports the confirmable position now (on stop).
	 * @throws SQLException when the connection fails
	 */
	public void confirmNow() throws SQLException {
		this.reporter.report();
	}

	private dev.outbox.relay.event.OutboxRow read(InsertMessage insert, long lsn) {
		try {
			return this.rows.read(insert, lsn);
		}
		catch (InvalidOutboxRowException ex) {
			throw new UnreadableRowException(lsn, ex);
		}
	}

	/**
	 * The server answers each status update, so a silence longer than the replication timeout
	 * means the link is gone even though no error shows: end the session, which reconnects with
	 * backoff (and stands by while the server still holds the slot for its old walsender).
	 */
	private void checkServerHeard() throws SQLException {
		Duration timeout = this.replicationTimeout;
		Duration silence = this.stream.silence();
		if (!timeout.isZero() && silence.compareTo(timeout) > 0) {
			throw new SQLException("Nothing received from PostgreSQL for " + silence.toMillis() + " ms, more than "
					+ "outbox.relay.replication-timeout (" + timeout + "), although the relay asks for a reply every "
					+ "outbox.relay.status-interval: the replication connection is taken as lost");
		}
	}

	@Override
	public void close() {
		this.stream.close();
	}

	/**
	 * What to stream and how.
	 * @param slotName the logical replication slot
	 * @param publicationName the publication pgoutput filters by
	 * @param statusInterval how often the confirmed position is reported
	 * @param replicationTimeout silence after which the connection is taken as lost; zero never
	 */
	public record StreamSettings(String slotName, String publicationName, Duration statusInterval,
			Duration replicationTimeout) {
	}

}
