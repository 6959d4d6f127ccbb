package dev.outbox.relay.source;

import dev.outbox.relay.event.OutboxRow;

/**
 * What the {@link ReplicationSource} reads, handed on in WAL order: the transactions that carry
 * outbox rows, each row, and the positions the server has sent. Called on the reader thread.
 * <p>
 * pgoutput sends a transaction only once it committed (streaming of in-progress transactions is
 * off), whole, in commit order: {@code begin}, its rows, {@code commit}. Every row of a
 * transaction therefore comes between its {@code begin} and its {@code commit}, and transactions
 * never interleave.
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
