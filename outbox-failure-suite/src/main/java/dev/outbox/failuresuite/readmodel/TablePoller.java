package dev.outbox.failuresuite.readmodel;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.producer.Producer;

/**
 * Capture {@code polling-table}: {@code SELECT ... WHERE updated_at > last_seen ORDER BY updated_at}
 * over the business table, as a keyset on {@code (updated_at, id)} so that rows sharing a timestamp
 * and batches cut inside one are neither skipped nor sent twice. Each row found is sent as its
 * current state, keyed by its id; the mark ({@code rm_poll_mark}) moves to the batch's last row
 * only after Kafka acknowledged every record of it.
 * <p>
 * What it cannot do is by design of the capture, not of this code: a deleted row is not there to
 * select; a row changed twice between two polls is seen once, as it is at the poll; and a row
 * whose transaction commits after a later-stamped one was already sent is behind the mark for good.
 *
 * @param topic where changes go
 * @param batch most rows per poll
 * @param killPoint where {@code poller-kill-9} may park it: after the send, before the mark
 */
public record TablePoller(String topic, int batch, KillPoint killPoint) implements Poller {

	@Override
	public int poll(Connection connection, Producer<String, String> producer)
			throws SQLException, ExecutionException, InterruptedException {
		List<ItemChange> changes = new ArrayList<>();
		OffsetDateTime lastSeen;
		long lastId;
		try (PreparedStatement mark = connection
			.prepareStatement("SELECT last_seen, last_id FROM rm_poll_mark WHERE poller = ?")) {
			mark.setString(1, ReadModelSchema.TABLE_POLLER);
			try (ResultSet row = mark.executeQuery()) {
				if (!row.next()) {
					throw new SQLException("no mark of poller " + ReadModelSchema.TABLE_POLLER + " in rm_poll_mark");
				}
				lastSeen = row.getObject(1, OffsetDateTime.class);
				lastId = row.getLong(2);
			}
		}
		// The mark as parameters, so that the keyset is an index range scan of (updated_at, id).
		try (PreparedStatement select = connection.prepareStatement("SELECT id, version, value, updated_at FROM rm_item "
				+ "WHERE (updated_at, id) > (?, ?) ORDER BY updated_at, id LIMIT ?")) {
			select.setObject(1, lastSeen);
			select.setLong(2, lastId);
			select.setInt(3, this.batch);
			try (ResultSet rows = select.executeQuery()) {
				while (rows.next()) {
					lastSeen = rows.getObject(4, OffsetDateTime.class);
					lastId = rows.getLong(1);
					changes.add(new ItemChange(lastId, rows.getLong(2), ItemChange.UPSERT, rows.getString(3),
							micros(lastSeen)));
				}
			}
		}
		if (changes.isEmpty()) {
			connection.rollback();
			return 0;
		}
		Poller.sendAll(producer, this.topic, changes, this.killPoint);
		try (PreparedStatement mark = connection
			.prepareStatement("UPDATE rm_poll_mark SET last_seen = ?, last_id = ? WHERE poller = ?")) {
			mark.setObject(1, lastSeen);
			mark.setLong(2, lastId);
			mark.setString(3, ReadModelSchema.TABLE_POLLER);
			mark.executeUpdate();
		}
		connection.commit();
		return changes.size();
	}

	static long micros(OffsetDateTime time) {
		return ChronoUnit.MICROS.between(OffsetDateTime.parse("1970-01-01T00:00:00Z"), time);
	}

}
