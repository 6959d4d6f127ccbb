package dev.outbox.failuresuite.readmodel;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The {@code read-model} workload's tables, in the run's own database.
 * <ul>
 * <li>{@code rm_item (id, version, value, updated_at)}: the business table. Every change raises
 * the row's version under its row lock and sets {@code updated_at = now()}, the transaction's
 * start: what a poller of the table reads.</li>
 * <li>{@code rm_history (item_id, version, op)}: every committed change, written in the change's
 * transaction: the truth the check compares the topic and the projection with (what a delete
 * leaves behind in the business table is nothing).</li>
 * <li>{@code rm_outbox (seq, item_id, version, payload, sent_at)}: capture {@code polling-outbox}'s
 * outbox, written in the change's transaction, {@code sent_at} set by the poller after Kafka
 * acknowledged the row.</li>
 * <li>{@code rm_poll_mark (poller, last_seen, last_id)}: capture {@code polling-table}'s mark, the
 * last {@code (updated_at, id)} it sent.</li>
 * <li>the sink's own tables, by the workload's {@link ItemSink}.</li>
 * </ul>
 */
public final class ReadModelSchema {

	/** The table poller's name in {@code rm_poll_mark}. */
	public static final String TABLE_POLLER = "table";

	/** Items the faults create start here, so that the writer never touches them. */
	public static final long FAULT_ITEMS = 1_000_000;

	private ReadModelSchema() {
	}

	/**
	 * Creates the tables.
	 * @param jdbc the run's database
	 */
	public static void create(JdbcTemplate jdbc) {
		jdbc.execute("CREATE TABLE rm_item (id bigint PRIMARY KEY, version bigint NOT NULL, value text NOT NULL, "
				+ "updated_at timestamptz NOT NULL)");
		jdbc.execute("CREATE INDEX rm_item_updated_at ON rm_item (updated_at, id)");
		jdbc.execute("CREATE TABLE rm_history (item_id bigint NOT NULL, version bigint NOT NULL, op text NOT NULL, "
				+ "PRIMARY KEY (item_id, version))");
		jdbc.execute("CREATE TABLE rm_outbox (seq bigserial PRIMARY KEY, item_id bigint NOT NULL, version bigint NOT NULL, "
				+ "payload text NOT NULL, sent_at timestamptz)");
		jdbc.execute("CREATE INDEX rm_outbox_unsent ON rm_outbox (seq) WHERE sent_at IS NULL");
		jdbc.execute("CREATE TABLE rm_poll_mark (poller text PRIMARY KEY, last_seen timestamptz NOT NULL, "
				+ "last_id bigint NOT NULL)");
		jdbc.update("INSERT INTO rm_poll_mark VALUES (?, '1970-01-01 00:00:00+00', 0)", TABLE_POLLER);
	}

	/**
	 * @param jdbc the run's database
	 * @return changes committed so far
	 */
	public static long committedChanges(JdbcTemplate jdbc) {
		Long count = jdbc.queryForObject("SELECT count(*) FROM rm_history", Long.class);
		return (count != null) ? count : 0;
	}

	/**
	 * @param jdbc the run's database
	 * @return rows the table poller has not reached: changed after its mark
	 */
	public static long behindTablePoller(JdbcTemplate jdbc) {
		Long count = jdbc.queryForObject("SELECT count(*) FROM rm_item i, rm_poll_mark m WHERE m.poller = ? "
				+ "AND (i.updated_at, i.id) > (m.last_seen, m.last_id)", Long.class, TABLE_POLLER);
		return (count != null) ? count : 0;
	}

	/**
	 * @param jdbc the run's database
	 * @return outbox rows not yet marked sent
	 */
	public static long unsentOutboxRows(JdbcTemplate jdbc) {
		Long count = jdbc.queryForObject("SELECT count(*) FROM rm_outbox WHERE sent_at IS NULL", Long.class);
		return (count != null) ? count : 0;
	}

}
