package dev.outbox.failuresuite.readmodel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.jdbc.core.JdbcTemplate;

import dev.outbox.failuresuite.check.Figures;
import dev.outbox.failuresuite.lab.Evidence;
import dev.outbox.failuresuite.lab.Evidence.Observation;
import dev.outbox.failuresuite.scenario.WorkloadCheck.Judgement;
import dev.outbox.testsupport.delivery.Delivery;
import dev.outbox.testsupport.delivery.DeliveryCheck;
import dev.outbox.testsupport.delivery.Examination;

/**
 * The {@code audit-log} workload's sink: an append-only table {@code al_entry (seq, item_id,
 * version, op, updated_at)}, one row appended per change applied, {@code seq} its place in the
 * log. It has no check of its own: exactly once in effect comes from the inbox in front of it (sink
 * {@code idempotent}, by event id), per-entity order from the pipeline (one key per entity, one
 * partition per key, applied in the order delivered). Correct: every committed change has exactly
 * one entry, and each entity's entries follow its changes' order ({@link AuditEntries}).
 */
final class AuditLog implements ItemSink {

	@Override
	public void create(JdbcTemplate jdbc) {
		jdbc.execute("CREATE TABLE al_entry (seq bigserial PRIMARY KEY, item_id bigint NOT NULL, version bigint NOT NULL, "
				+ "op text NOT NULL, updated_at timestamptz NOT NULL)");
		jdbc.execute("CREATE VIEW " + REACHED + " AS SELECT item_id AS id, max(version) AS version, "
				+ "max(updated_at) AS updated_at FROM al_entry GROUP BY item_id");
	}

	@Override
	public boolean apply(JdbcTemplate jdbc, ItemChange change) {
		jdbc.update("INSERT INTO al_entry (item_id, version, op, updated_at) VALUES (?, ?, ?, ?)", change.id(),
				change.version(), change.op(), ItemChange.timestamp(change.updatedAtMicros()));
		return true;
	}

	/**
	 * Judges the audit log: the topic through the shared delivery checker (for the figures:
	 * delivered, redelivered, order on the topic), the entries against every committed change (for
	 * the evidence: missing entries, duplicate entries, entries out of per-entity order). Its duplicates
	 * are counted in the log itself, not by the consumer.
	 */
	@Override
	public Judgement judge(JdbcTemplate jdbc, List<Delivery> deliveries, long skipped, long appliedMoreThanOnce,
			Set<Observation> observed) {
		Map<String, List<String>> committedEvents = new LinkedHashMap<>();
		Map<Long, List<Long>> committed = new LinkedHashMap<>();
		jdbc.query("SELECT item_id, version FROM rm_history ORDER BY item_id, version", (row) -> {
			committed.computeIfAbsent(row.getLong(1), (id) -> new ArrayList<>()).add(row.getLong(2));
			committedEvents.computeIfAbsent(ItemChange.key(row.getLong(1)), (key) -> new ArrayList<>())
				.add(ItemChange.event(row.getLong(1), row.getLong(2)));
		});
		List<AuditEntries.Entry> appended = jdbc.query("SELECT item_id, version FROM al_entry ORDER BY seq",
				(row, n) -> new AuditEntries.Entry(row.getLong(1), row.getLong(2)));
		AuditEntries entries = AuditEntries.examine(committed, appended);
		Examination topic = DeliveryCheck.examine(committedEvents, deliveries);
		long notApplied = Math.max(0, topic.distinctDelivered() - (appended.size() - entries.duplicates()));
		Figures figures = new Figures(topic.committed(), topic.distinctDelivered(), topic.missing(),
				topic.duplicates().size(), topic.orderViolations(), topic.unknown().size(), topic.inconsistencies().size(),
				entries.duplicates(), notApplied, topic.firstMissing(), topic.firstOrderViolation(),
				topic.firstInconsistency());
		Evidence evidence = new Evidence(entries.missing(), entries.firstMissing(), topic.duplicates().size(),
				entries.outOfOrder(), entries.firstOutOfOrder(), entries.duplicates(), skipped, 0, 0, 0, observed);
		List<String> violations = new ArrayList<>();
		if (entries.outOfOrder() > 0) {
			violations.add(entries.outOfOrder() + " audit entries out of their entity's order (first: "
					+ entries.firstOutOfOrder() + ")");
		}
		List<String> notes = List.of("source: " + topic.committed() + " changes committed to " + committed.size()
				+ " entities; topic: " + deliveries.size() + " records; audit log: " + appended.size() + " entries ("
				+ entries.missing() + " changes without one, " + entries.duplicates() + " duplicates, "
				+ entries.outOfOrder() + " out of per-entity order)");
		return new Judgement(figures, evidence, violations, notes);
	}

}
