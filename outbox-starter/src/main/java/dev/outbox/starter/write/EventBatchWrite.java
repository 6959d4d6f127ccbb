package dev.outbox.starter.write;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Writes one batch of events on the connection of the caller's transaction, the way one
 * {@link OutboxWriteMode} does. An implementation writes the whole batch, in the order given
 * (publish order), or throws so that the transaction cannot commit; it never commits, rolls
 * back or changes the connection's settings. Stateless apart from its SQL, so thread-safe.
 */
interface EventBatchWrite {

	/**
	 * Write a batch.
	 * @param connection the connection of the caller's transaction
	 * @param batch the events, in publish order, not empty
	 * @throws SQLException if a statement fails
	 */
	void write(Connection connection, List<OutboxRecord> batch) throws SQLException;

}
