package dev.outbox.failuresuite.readmodel;

import java.util.List;
import java.util.Set;

import org.springframework.jdbc.core.JdbcTemplate;

import dev.outbox.failuresuite.lab.Evidence.Observation;
import dev.outbox.failuresuite.scenario.WorkloadCheck.Judgement;
import dev.outbox.testsupport.delivery.Delivery;

/**
 * The {@code read-model} workload's sink: {@code rm_projection (id, version, value, updated_at)},
 * where an upsert writes the item's state as delivered and a delete removes it. Applied in the
 * order delivered, with no check of its own: idempotent only through the inbox in front of it.
 * Correct: after the run it equals the business table.
 */
final class Projection implements ItemSink {

	@Override
	public void create(JdbcTemplate jdbc) {
		jdbc.execute("CREATE TABLE rm_projection (id bigint PRIMARY KEY, version bigint NOT NULL, value text NOT NULL, "
				+ "updated_at timestamptz NOT NULL)");
		jdbc.execute("CREATE VIEW " + REACHED + " AS SELECT id, version, updated_at FROM rm_projection");
	}

	@Override
	public boolean apply(JdbcTemplate jdbc, ItemChange change) {
		if (change.deletes()) {
			jdbc.update("DELETE FROM rm_projection WHERE id = ?", change.id());
			return true;
		}
		jdbc.update("INSERT INTO rm_projection (id, version, value, updated_at) VALUES (?, ?, ?, ?) "
				+ "ON CONFLICT (id) DO UPDATE SET version = excluded.version, value = excluded.value, "
				+ "updated_at = excluded.updated_at", change.id(), change.version(), change.value(),
				ItemChange.timestamp(change.updatedAtMicros()));
		return true;
	}

	@Override
	public Judgement judge(JdbcTemplate jdbc, List<Delivery> deliveries, long skipped, long appliedMoreThanOnce,
			Set<Observation> observed) {
		return ReadModelCheck.judge(jdbc, "rm_projection", "projection", deliveries, skipped, appliedMoreThanOnce,
				observed);
	}

}
