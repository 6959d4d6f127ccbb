package dev.outbox.failuresuite.workload;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The workload's own tables, next to the outbox and inbox tables of the starter.
 * <ul>
 * <li>{@code fs_aggregate (aggregate_id, version)}: the business state. A transaction that
 * publishes {@code n} events for an aggregate raises its version by {@code n} under the row lock
 * and numbers the events {@code version-n+1 .. version}. Since the lock is held to the commit,
 * versions follow commit order, and after any crash the committed events of an aggregate are
 * exactly its sequences {@code 1 .. version}: the database itself, not the writer's view of
 * what committed, is the truth the checker compares Kafka with.</li>
 * <li>{@code fs_counter (aggregate_id, applied)}: the consumer's effect, a counter incremented
 * once per applied event. Not idempotent by itself, so only the inbox keeps it equal to the
 * number of distinct events delivered.</li>
 * </ul>
 */
public final class Schema {

	private Schema() {
	}

	/**
	 * Creates both tables with {@code aggregates} aggregates at version 0.
	 * @param jdbc the scenario's database
	 * @param aggregates how many aggregates
	 */
	public static void create(JdbcTemplate jdbc, int aggregates) {
		jdbc.execute("CREATE TABLE fs_aggregate (aggregate_id varchar(64) PRIMARY KEY, version bigint NOT NULL)");
		jdbc.execute("CREATE TABLE fs_counter (aggregate_id varchar(64) PRIMARY KEY, applied bigint NOT NULL)");
		List<Object[]> rows = new ArrayList<>();
		for (int i = 0; i < aggregates; i++) {
			rows.add(new Object[] { aggregateId(i) });
		}
		jdbc.batchUpdate("INSERT INTO fs_aggregate (aggregate_id, version) VALUES (?, 0)", rows);
		jdbc.batchUpdate("INSERT INTO fs_counter (aggregate_id, applied) VALUES (?, 0)", rows);
	}

	/**
	 * @param index zero-based
	 * @return the id of the aggregate
	 */
	public static String aggregateId(int index) {
		return String.format("acct-%05d", index);
	}

	/**
	 * @param jdbc the scenario's database
	 * @return every aggregate's committed version: its committed events are sequences 1 to it
	 */
	public static Map<String, Long> committedVersions(JdbcTemplate jdbc) {
		return query(jdbc, "SELECT aggregate_id, version FROM fs_aggregate");
	}

	/**
	 * @param jdbc the scenario's database
	 * @return every aggregate's counter: how many events the consumer applied
	 */
	public static Map<String, Long> appliedCounters(JdbcTemplate jdbc) {
		return query(jdbc, "SELECT aggregate_id, applied FROM fs_counter");
	}

	/**
	 * @param jdbc the scenario's database
	 * @return the sum of committed versions: the events committed so far
	 */
	public static long committedEvents(JdbcTemplate jdbc) {
		Long sum = jdbc.queryForObject("SELECT coalesce(sum(version), 0) FROM fs_aggregate", Long.class);
		return (sum != null) ? sum : 0;
	}

	private static Map<String, Long> query(JdbcTemplate jdbc, String sql) {
		Map<String, Long> values = new TreeMap<>();
		jdbc.query(sql, (row) -> {
			values.put(row.getString(1), row.getLong(2));
		});
		return values;
	}

}
