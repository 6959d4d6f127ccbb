package dev.outbox.starter.write;

import java.util.List;

/**
 * Told, after a transaction commits, which outbox events it wrote: the test kit's way of
 * capturing events, and a seam for any other observer. Beans of this type are found by the
 * starter; without any, the write path keeps no list of written events.
 * <p>
 * Called on the committing thread, after commit, once per transaction that published at least
 * one event, with the events in publish order (less those a rollback to a savepoint undid).
 * Never called for a transaction that rolls back. An exception thrown here is logged and does
 * not reach the caller: the transaction has already committed.
 */
public interface OutboxCommitListener {

	/**
	 * Receive the events a transaction committed.
	 * @param events the events, in publish order, not empty
	 */
	void committed(List<OutboxRecord> events);

	/**
	 * Whether this listener stands in for the database when the outbox's DataSource is not
	 * PostgreSQL (a test on H2): the outbox then checks, serializes and buffers events in the
	 * transaction as usual and hands them to the listeners at commit, but runs no SQL, instead of
	 * refusing every publish. The test kit's listener does; on PostgreSQL it makes no difference.
	 * @return {@code false} unless the listener is a test double of the database
	 */
	default boolean capturesWithoutDatabase() {
		return false;
	}

}
