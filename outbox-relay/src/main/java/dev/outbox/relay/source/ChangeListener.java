package dev.outbox.relay.source;

import dev.outbox.relay.event.MalformedEvent;
import dev.outbox.relay.event.OutboxRow;

/**
 * What the {@link ReplicationSource} reads, handed on in WAL order: the transactions that carry
 * outbox rows, each row, and the positions the server has sent. Called on the reader thread.
 * <p>
 * pgoutput sends a transaction only once it committed (streaming of in-progress transactions is
 * off), whole, in commit order: {@code begin}, its rows, {@code commit}. Every row of a
 * transaction therefore comes between its {@code begin} and its {@code commit}, and transactions
 * never interleave.
 * <p>
 * An event written as a logical decoding message under the outbox's prefix ({@code message} write
 * mode) is handed to {@link #row} like an INSERT, in its place among its transaction's changes: it
 * is an event of its transaction, decoded at its commit and gone on rollback, so ordering and the
 * checkpoint rules need nothing new. A message under the prefix that is not an event
 * ({@link #malformed}) takes an event's place too, so it is dead-lettered or stops the relay, and
 * is never confirmed past unnoticed.
 */
public interface ChangeListener {

	/**
	 * A transaction begins.
	 * @param commitMillis its commit time, epoch milliseconds
	 * @throws Exception to end the session
	 */
	void begin(long commitMillis) throws Exception;

	/**
	 * An outbox row of the current transaction.
	 * @param row the row
	 * @throws Exception to end the session
	 */
	void row(OutboxRow row) throws Exception;

	/**
	 * A message under the outbox's prefix that cannot be published, in the current transaction.
	 * A non-transactional one, which arrives outside any transaction, is framed by the source in
	 * a Begin and Commit of its own ({@link ReplicationSource}).
	 * @param event the message and what is wrong with it
	 * @throws Exception to end the session
	 */
	void malformed(MalformedEvent event) throws Exception;

	/**
	 * The current transaction committed.
	 * @param endLsn the end of its commit record: the position from which it is wholly read
	 * @param receivedLsn the position of the commit message
	 * @throws Exception to end the session
	 */
	void commit(long endLsn, long receivedLsn) throws Exception;

	/**
	 * Everything the server sent has been read.
	 * @param receivedLsn the last position the server sent (keepalives move it too)
	 * @throws Exception to end the session
	 */
	void caughtUp(long receivedLsn) throws Exception;

}
