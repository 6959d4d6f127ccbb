package dev.outbox.failuresuite.readmodel;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.producer.Producer;

/**
 * Capture {@code polling-outbox}, built as polling-outbox libraries build it: the service writes
 * each change to {@code rm_outbox} in the change's own transaction; the poller takes the oldest
 * unsent rows by sequence with {@code FOR UPDATE SKIP LOCKED} (so that more pollers could share
 * the table), sends them, and marks them sent in the same transaction after Kafka acknowledged
 * every record. It looks for rows not yet marked, not for rows past a high-water mark, so a row
 * whose transaction commits late is still found at the next poll.
 *
 * @param topic where changes go
 * @param batch most rows per poll
 * @param killPoint where {@code poller-kill-9} may park it: after the send, before the mark
 */
public record OutboxPoller(String topic, int batch, KillPoint killPoint) implements Poller {

	@Override
	public int poll(Connection connection, Producer<String, String> producer)
			throws SQLException, ExecutionException, InterruptedException {
		List<ItemChange> changes = new ArrayList<>();
		List<Long> seqs = new ArrayList<>();
		try (PreparedStatement select = connection.prepareStatement("SELECT seq, payload FROM rm_outbox "
				+ "WHERE sent_at IS NULL ORDER BY seq LIMIT ? FOR UPDATE SKIP LOCKED")) {
			select.setInt(1, this.batch);
			try (ResultSet rows = select.executeQuery()) {
				while (rows.next()) {
					seqs.add(rows.getLong(1));
					changes.add(ItemChange.parse(rows.getString(2)));
				}
			}
		}
		if (changes.isEmpty()) {
			connection.rollback();
			return 0;
		}
		Poller.sendAll(producer, this.topic, changes, this.killPoint);
		try (PreparedStatement mark = connection
			.prepareStatement("UPDATE rm_outbox SET sent_at = now() WHERE seq = ANY (?)")) {
			Array array = connection.createArrayOf("bigint", seqs.toArray());
			mark.setArray(1, array);
			mark.executeUpdate();
		}
		connection.commit();
		return changes.size();
	}

}
