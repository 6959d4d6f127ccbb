package dev.outbox.starter.write;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

import dev.outbox.contract.EventMessage;
import dev.outbox.contract.TableName;

/**
 * {@link OutboxWriteMode#MESSAGE}: a batch of events as transactional logical decoding
 * messages, {@code pg_logical_emit_message(true, prefix, content)}, with the prefix
 * ({@link EventMessage#prefixFor}) and content ({@link EventMessageContent}) of the contract.
 * <p>
 * <b>One round trip per batch.</b> The contents go to the server as one {@code text[]}, and
 * one {@code SELECT} emits a message per element. No row is written, so the table gets no dead
 * tuples and the WAL only the messages.
 * <p>
 * <b>Order.</b> The messages are emitted from {@code unnest(...) WITH ORDINALITY ORDER BY
 * ordinality}: a function scan yields the array in order, the planner knows that output is
 * sorted by the ordinality (no sort node), and a volatile function in the target list is in any
 * case evaluated after a sort. So the WAL holds the messages in the order of the batch, which
 * is publish order, and the transactional flag makes the decoder hand them out at commit, in
 * commit order with the transaction's rows, and drop them on rollback. The number of messages
 * is checked: a batch is written whole or the statement throws.
 */
final class EventMessageBatch implements EventBatchWrite {

	static final String SQL = "SELECT pg_catalog.pg_logical_emit_message(true, ?, m.content)"
			+ " FROM unnest(?::text[]) WITH ORDINALITY AS m(content, ord) ORDER BY m.ord";

	private final String prefix;

	EventMessageBatch(TableName table) {
		this.prefix = EventMessage.prefixFor(table);
	}

	@Override
	public void write(Connection connection, List<OutboxRecord> batch) throws SQLException {
		String[] contents = new String[batch.size()];
		for (int i = 0; i < contents.length; i++) {
			contents[i] = EventMessageContent.of(batch.get(i));
		}
		int emitted = 0;
		try (PreparedStatement statement = connection.prepareStatement(SQL)) {
			statement.setString(1, this.prefix);
			statement.setArray(2, connection.createArrayOf("text", contents));
			try (ResultSet rows = statement.executeQuery()) {
				while (rows.next()) {
					emitted++;
				}
			}
		}
		if (emitted != contents.length) {
			throw new IllegalStateException("Outbox emitted " + emitted + " messages for a batch of "
					+ contents.length + " events");
		}
	}

}
