package dev.outbox.failuresuite.readmodel;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.outbox.failuresuite.check.Figures;
import dev.outbox.failuresuite.lab.Evidence;
import dev.outbox.failuresuite.lab.Evidence.Observation;
import dev.outbox.failuresuite.scenario.WorkloadCheck.Judgement;
import dev.outbox.testsupport.delivery.Delivery;
import dev.outbox.testsupport.delivery.DeliveryCheck;
import dev.outbox.testsupport.delivery.EventEvidence;
import dev.outbox.testsupport.delivery.Examination;

/**
 * Judges a run of a sink that keeps each item's last state ({@code read-model}'s projection,
 * {@code search-index}'s index) from its own evidence: every committed change (from
 * {@code rm_history}) against the topic, through the shared delivery checker, and the sink against
 * the business table ({@link StateComparison}: deletes it still holds, stale values). A committed change never delivered is, by what the source did next:
 * <ul>
 * <li>a <em>missed delete</em> when it deleted the row;</li>
 * <li>a <em>collapsed flip</em> when the row changed again after it (the sink saw a later state
 * only, or none);</li>
 * <li><em>lost</em> when it is the row's last state: the source holds it, the sink never got it.</li>
 * </ul>
 */
final class ReadModelCheck {

	private ReadModelCheck() {
	}

	/**
	 * @param record a record of the topic
	 * @return the delivery, named as the committed changes are
	 */
	static Delivery delivery(ConsumerRecord<String, String> record) {
		ItemChange change = ItemChange.parse(record.value());
		Header id = record.headers().lastHeader("id");
		return new Delivery(record.key(), change.event(),
				(id != null) ? new String(id.value(), StandardCharsets.UTF_8) : "", record.partition(), record.offset());
	}

	/**
	 * @param jdbc the run's database, the pipeline drained
	 * @param sinkTable the table (or view) of the sink's items: {@code id, version, value}
	 * @param sinkName what the sink is, in words ({@code projection}, {@code index})
	 * @param deliveries every record of the topic
	 * @param redeliveriesSkipped what the sink (or the inbox in front of it) skipped as already applied
	 * @param effectsAppliedMoreThanOnce the consumer's applications beyond one per event
	 * @param observed what was seen of the components
	 * @return the judgement
	 */
	static Judgement judge(JdbcTemplate jdbc, String sinkTable, String sinkName, List<Delivery> deliveries,
			long redeliveriesSkipped, long effectsAppliedMoreThanOnce, Set<Observation> observed) {
		Map<String, List<String>> committed = new LinkedHashMap<>();
		Map<String, String> ops = new HashMap<>();
		jdbc.query("SELECT item_id, version, op FROM rm_history ORDER BY item_id, version", (row) -> {
			String event = ItemChange.event(row.getLong(1), row.getLong(2));
			committed.computeIfAbsent(ItemChange.key(row.getLong(1)), (key) -> new ArrayList<>()).add(event);
			ops.put(event, row.getString(3));
		});
		Examination examination = DeliveryCheck.examine(committed, deliveries);
		long deletesNotDelivered = 0;
		long superseded = 0;
		long lost = 0;
		String firstLost = "";
		for (EventEvidence event : examination.events()) {
			if (event.delivered()) {
				continue;
			}
			if (ItemChange.DELETE.equals(ops.get(event.event()))) {
				deletesNotDelivered++;
			}
			else if (event.position() < committed.get(event.key()).size() - 1) {
				superseded++;
			}
			else {
				lost++;
				firstLost = firstLost.isEmpty() ? event.event() + " (key " + event.key() + ")" : firstLost;
			}
		}
		StateComparison compared = StateComparison.compare(states(jdbc, "rm_item"), states(jdbc, sinkTable));
		long deletedStillProjected = compared.deletedStillHeld();
		long differing = compared.differing();
		long deletes = ops.values().stream().filter(ItemChange.DELETE::equals).count();
		Figures figures = new Figures(examination.committed(), examination.distinctDelivered(), lost,
				examination.duplicates().size(), examination.orderViolations(), examination.unknown().size(),
				examination.inconsistencies().size(), effectsAppliedMoreThanOnce, 0, firstLost,
				examination.firstOrderViolation(), examination.firstInconsistency());
		Evidence evidence = new Evidence(lost, firstLost, examination.duplicates().size(), examination.orderViolations(),
				examination.firstOrderViolation(), effectsAppliedMoreThanOnce, redeliveriesSkipped, deletedStillProjected,
				superseded, differing, observed);
		List<String> violations = new ArrayList<>();
		if (deletedStillProjected > 0) {
			violations.add(deletedStillProjected + " rows deleted at the source still in the " + sinkName);
		}
		if (differing > 0) {
			violations.add(differing + " rows of the " + sinkName + " differ from the source (first: "
					+ compared.firstDifference() + ")");
		}
		List<String> notes = new ArrayList<>();
		notes.add("source: " + examination.committed() + " changes committed (" + deletes + " deletes) to "
				+ committed.size() + " rows; topic: " + deliveries.size() + " records; never delivered: "
				+ deletesNotDelivered + " deletes, " + superseded + " changes superseded before a poll saw them, " + lost
				+ " last states");
		long outOfSequence = count(jdbc, "SELECT count(*) FROM rm_outbox o WHERE EXISTS "
				+ "(SELECT 1 FROM rm_outbox later WHERE later.seq > o.seq AND later.sent_at < o.sent_at)");
		if (count(jdbc, "SELECT count(*) FROM rm_outbox") > 0) {
			notes.add("outbox: " + outOfSequence + " rows sent after a row of higher sequence (each in a later poll "
					+ "than rows that committed before it); per-key order checked separately");
		}
		return new Judgement(figures, evidence, violations, notes);
	}

	private static Map<Long, StateComparison.State> states(JdbcTemplate jdbc, String table) {
		Map<Long, StateComparison.State> states = new HashMap<>();
		jdbc.query("SELECT id, version, value FROM " + table,
				(row) -> {
					states.put(row.getLong(1), new StateComparison.State(row.getLong(2), row.getString(3)));
				});
		return states;
	}

	private static long count(JdbcTemplate jdbc, String sql) {
		Long count = jdbc.queryForObject(sql, Long.class);
		return (count != null) ? count : 0;
	}

}
