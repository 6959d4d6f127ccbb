package dev.outbox.relay.source;

import java.nio.ByteBuffer;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.postgresql.replication.LogSequenceNumber;
import org.postgresql.replication.PGReplicationStream;

import dev.outbox.contract.EventMessage;
import dev.outbox.contract.TableName;
import dev.outbox.relay.event.InvalidOutboxRowException;
import dev.outbox.relay.event.MalformedEvent;
import dev.outbox.relay.event.OutboxRow;
import dev.outbox.relay.source.pgoutput.BeginMessage;
import dev.outbox.relay.source.pgoutput.ChangeFilter;
import dev.outbox.relay.source.pgoutput.CommitMessage;
import dev.outbox.relay.source.pgoutput.InsertMessage;
import dev.outbox.relay.source.pgoutput.LogicalMessage;
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
 * Messages ({@code message} write mode): the stream is started with pgoutput's
 * {@code messages} option, and the decoder keeps the logical decoding messages under the outbox's
 * prefix ({@link EventMessage#prefixFor}). A transactional one is read ({@link EventMessageReader})
 * into the row an INSERT would give, with its transaction's commit time, and handed on between
 * that transaction's Begin and Commit exactly like an INSERT: an event of its transaction, so the
 * checkpoint's rules hold unchanged. One that breaks the contract is handed on as
 * {@link ChangeListener#malformed} in its place.
 * <p>
 * A non-transactional message under the prefix is refused: it is decoded as soon as it is
 * written, whether or not its transaction commits, so it may be an event that never happened.
 * It arrives outside any transaction, carrying {@code M}, the end of its WAL record, so the source
 * frames it as a transaction of its own that ends at {@code M}. That end is safe for the
 * checkpoint: the server decodes the WAL in order, so every transaction whose commit record starts
 * before {@code M} (that is, before the message's record) was sent before it, and every later
 * commit record starts at or after {@code M} and so ends after it: commit ends keep increasing,
 * and confirming {@code M} skips nothing. It only tells the server the message itself is dealt
 * with (a restart from {@code M} skips it, since its record starts before {@code M}).
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

	private final EventMessageReader messages;

	private boolean inTransaction;

	private Instant commitTime = Instant.EPOCH;

	private final Duration replicationTimeout;

	private final boolean sharded;

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
		String prefix = EventMessage.prefixFor(table);
		this.decoder = new PgOutputDecoder(ChangeFilter.insertsInto(table.schema(), table.table()), prefix);
		this.messages = new EventMessageReader(prefix);
		this.replicationTimeout = settings.replicationTimeout();
		this.sharded = settings.sharded();
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
			this.inTransaction = true;
			this.commitTime = begin.commitTime();
			listener.begin(begin.commitTime().toEpochMilli());
		}
		else if (message instanceof InsertMessage insert) {
			listener.row(read(insert, lsn));
		}
		else if (message instanceof LogicalMessage logical) {
			event(logical, lsn, listener);
		}
		else if (message instanceof CommitMessage commit) {
			this.inTransaction = false;
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

	private void event(LogicalMessage message, long receivedLsn, ChangeListener listener) throws Exception {
		long lsn = message.lsn();
		if (!message.transactional()) {
			refuseNonTransactional(message, receivedLsn, listener);
			return;
		}
		if (!this.inTransaction) {
			throw new IllegalStateException("Transactional message at LSN " + LogSequenceNumber.valueOf(lsn).asString()
					+ " arrived outside a transaction: the stream is out of step");
		}
		if (this.sharded) {
			throw new UnreadableRowException(lsn, new InvalidOutboxRowException("an event written as a logical "
					+ "decoding message (outbox.write-mode=message) reached a sharded source, whose shards' row "
					+ "filters do not apply to messages: every shard would publish it. Shard only an outbox written "
					+ "in table or retain mode, or stream a message-mode outbox unsharded (without "
					+ "outbox.relay.sources[n].shards)"));
		}
		OutboxRow row;
		try {
			row = this.messages.read(message.content(), this.commitTime, lsn);
		}
		catch (InvalidOutboxRowException ex) {
			listener.malformed(new MalformedEvent(lsn, this.commitTime, message.content(), ex));
			return;
		}
		listener.row(row);
	}

	private void refuseNonTransactional(LogicalMessage message, long receivedLsn, ChangeListener listener)
			throws Exception {
		long lsn = message.lsn();
		InvalidOutboxRowException problem = new InvalidOutboxRowException("Message under prefix " + message.prefix()
				+ " at LSN " + LogSequenceNumber.valueOf(lsn).asString() + " was emitted with transactional = false: "
				+ "it is decoded whether or not its transaction commits, so it is not an event. Emit it with "
				+ "pg_logical_emit_message(true, ...) in the transaction that makes the change");
		Instant now = Instant.now();
		if (this.inTransaction) { // never seen: pgoutput sends these between transactions
			listener.malformed(new MalformedEvent(lsn, now, message.content(), problem));
			return;
		}
		listener.begin(now.toEpochMilli());
		listener.malformed(new MalformedEvent(lsn, now, message.content(), problem));
		listener.commit(lsn, receivedLsn);
	}

	private OutboxRow read(InsertMessage insert, long lsn) {
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
	 * @param sharded whether the slot is one shard of a sharded source, whose publication's row
	 * filter does not apply to logical decoding messages: every shard would receive every event
	 * written as a message, and two streams of one aggregate could reach Kafka out of order, so
	 * such an event stops the source
	 */
	public record StreamSettings(String slotName, String publicationName, Duration statusInterval,
			Duration replicationTimeout, boolean sharded) {
	}

}
