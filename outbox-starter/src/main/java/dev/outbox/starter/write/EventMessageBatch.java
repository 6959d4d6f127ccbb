package dev.outbox.starter.write;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

import dev.outbox.contract.EventMessage;
import dev.outbox.contract.TableName;

/**
 * {@link OutboxWriteMode#MESSAGE}: a batch of events as transactional logical decoding
 * messages, {@code pg_logical_emit_message(true, prefix, content)}, with the prefix
 * ({@link EventMessage#prefixFor}) and content ({@link EventMessageContent}) of the contract.
 * <p>
 * <b>One round trip per batch.</b> The contents go to the server as one JSON array
 * ({@link EventMessage#contentArray}: the contents joined, nothing escaped again), and one
 * {@code SELECT} emits a message per element, whose text {@code json_array_elements} returns
 * unchanged. A batch of one event (a transaction that publishes one) skips the array: one
 * {@code pg_logical_emit_message} with the content as a plain parameter. No row is written, so
 * the table gets no dead tuples and the WAL only the messages.
 * <p>
 * <b>Order.</b> The messages are emitted from {@code json_array_elements(...) WITH ORDINALITY
 * ORDER BY ordinality}: a function scan yields the array in order, the planner knows that output
 * is sorted by the ordinality (no sort node), and a volatile function in the target list is in any
 * case evaluated after a sort. So the WAL holds the messages in the order of the batch, which
 * is publish order, and the transactional flag makes the decoder hand them out at commit, in
 * commit order with the transaction's rows, and drop them on rollback. The number of messages
 * is checked: a batch is written whole or the statement throws.
 */
final class EventMessageBatch implements EventBatchWrite {

	static final String SQL = "SELECT pg_catalog.pg_logical_emit_message(true, ?, m.content::text)"
			+ " FROM pg_catalog.json_array_elements(?::json) WITH ORDINALITY AS m(content, ord) ORDER BY m.ord";

	static final String ONE_SQL = "SELECT pg_catalog.pg_logical_emit_message(true, ?, ?)";

	private final String prefix;

	EventMessageBatch(TableName table) {
		this.prefix = EventMessage.prefixFor(table);
	}

	@Override
	public void write(Connection connection, List<OutboxRecord> batch) throws SQLException {
		List<String> contents = new ArrayList<>(batch.size());
		for (OutboxRecord event : batch) {
			contents.add(EventMessageContent.of(event));
		}
		int emitted = 0;
		try (PreparedStatement statement = connection.prepareStatement((contents.size() == 1) ? ONE_SQL : SQL)) {
			statement.setString(1, this.prefix);
			if (contents.size() == 1) {
				statement.setString(2, contents.get(0));
			}
			else {
				statement.setObject(2, EventMessage.contentArray(contents), Types.OTHER);
			}
			try (ResultSet rows = statement.executeQuery()) {
				while (rows.next()) {
					emitted++;
				}
			}
		}
		if (emitted != contents.size()) {
			throw new IllegalStateException("Outbox emitted " + emitted + " messages for a batch of "
					+ contents.size() + " events");
		}
	}

}
