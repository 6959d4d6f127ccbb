package dev.outbox.failuresuite.readmodel;

import java.time.OffsetDateTime;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.outbox.starter.Outbox;

/**
 * The service's writes of one change, each in the caller's transaction: the business row, its
 * history entry and, for capture {@code polling-outbox}, its outbox row, for capture {@code log},
 * its event through the starter's {@link Outbox}, or for capture {@code dual-write}, its send after
 * the commit.
 *
 * @param jdbc the database, in the caller's transaction
 * @param outbox whether to write the outbox row too
 * @param starter the starter's outbox to publish each change through (capture {@code log}), or {@code null}
 * @param sender the send after commit (capture {@code dual-write}), or {@code null}
 */
record ItemWrites(JdbcTemplate jdbc, boolean outbox, @Nullable Outbox starter, @Nullable AfterCommitSender sender) {

	/**
	 * Inserts the item or raises its version, {@code updated_at = now()}.
	 * @param id the item
	 * @param value its new value
	 * @return the change
	 */
	ItemChange upsert(long id, String value) {
		ItemChange change = this.jdbc.queryForObject("INSERT INTO rm_item (id, version, value, updated_at) "
				+ "VALUES (?, 1, ?, now()) ON CONFLICT (id) DO UPDATE SET version = rm_item.version + 1, "
				+ "value = excluded.value, updated_at = excluded.updated_at RETURNING version, updated_at",
				(row, n) -> new ItemChange(id, row.getLong(1), ItemChange.UPSERT, value,
						TablePoller.micros(row.getObject(2, OffsetDateTime.class))),
				id, value);
		return record(change);
	}

	/**
	 * Deletes the item.
	 * @param id the item
	 * @return the change, or {@code null} when there was no such item
	 */
	@Nullable ItemChange delete(long id) {
		return this.jdbc.query("DELETE FROM rm_item WHERE id = ? RETURNING version, now()",
				(rows) -> rows.next() ? record(new ItemChange(id, rows.getLong(1) + 1, ItemChange.DELETE, "",
						TablePoller.micros(rows.getObject(2, OffsetDateTime.class)))) : null,
				id);
	}

	private ItemChange record(ItemChange change) {
		this.jdbc.update("INSERT INTO rm_history (item_id, version, op) VALUES (?, ?, ?)", change.id(), change.version(),
				change.op());
		if (this.outbox) {
			this.jdbc.update("INSERT INTO rm_outbox (item_id, version, payload) VALUES (?, ?, ?)", change.id(),
					change.version(), change.json());
		}
		if (this.starter != null) {
			this.starter.publish(ItemChange.AGGREGATE_TYPE, change.key(), ItemChange.EVENT_TYPE, change);
		}
		if (this.sender != null) {
			this.sender.sendAfterCommit(change);
		}
		return change;
	}

}
