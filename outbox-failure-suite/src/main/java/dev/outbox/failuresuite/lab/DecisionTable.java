package dev.outbox.failuresuite.lab;

import java.util.ArrayList;
import java.util.List;

import dev.outbox.failuresuite.lab.Evidence.Observation;

/**
 * The verifier's attribution rules: per outcome, conditions over the cell and the run's named
 * evidence, in order; the first that holds names the slot, the component and the concept. An
 * outcome no rule explains is {@linkplain Finding#unexplained() unexplained}. The lab's docs page
 * states this table; {@link #markdown()} renders it, and a test keeps the two equal.
 */
public final class DecisionTable {

	/** The rules, per outcome in the order they are tried. */
	public static final List<Rule> RULES = List.of(
			new Rule(Outcome.LOST, "capture `dual-write`, the fault hits the service",
					(cell, e) -> capture(cell, Capture.DUAL_WRITE) && hits(cell, Component.SERVICE), Slot.CAPTURE,
					Component.SENDER, "dual-write gap: the commit and the send are two writes; a crash between them "
							+ "loses the event for good"),
			new Rule(Outcome.LOST, "checkpoint `confirm-on-send`, the fault hits the relay, the slot confirmed "
					+ "events Kafka did not have",
					(cell, e) -> cell.pipeline().checkpoint() == Checkpoint.CONFIRM_ON_SEND && hits(cell, Component.RELAY)
							&& e.observed().contains(Observation.CONFIRMED_PAST_KAFKA),
					Slot.CHECKPOINT, Component.RELAY, "confirmed before acknowledged: the slot never sends again what "
							+ "Kafka did not get"),
			new Rule(Outcome.LOST, "capture `polling-table`, fault `long-transaction`",
					(cell, e) -> capture(cell, Capture.POLLING_TABLE) && cell.fault() == Fault.LONG_TRANSACTION, Slot.CAPTURE,
					Component.POLLER, "polling misses late commits: a row committed after a later-stamped one is already "
							+ "behind the poller's mark"),
			new Rule(Outcome.LOST, "workload `audit-log`, capture `polling-table`",
					(cell, e) -> cell.workload() == Workload.AUDIT_LOG && capture(cell, Capture.POLLING_TABLE),
					Slot.CAPTURE, Component.POLLER, "polling collapses flips and cannot see deletes: it sees each row "
							+ "as it is at the poll, so every change in between, and every delete, has no entry"),
			new Rule(Outcome.DUPLICATED_EFFECT, "sink `naive`, records redelivered",
					(cell, e) -> cell.pipeline().sink() == Sink.NAIVE && e.redelivered() > 0, Slot.SINK, Component.CONSUMER,
					"at-least-once delivery needs an idempotent sink: a redelivery is applied again"),
			new Rule(Outcome.REORDERED, "key `none`", (cell, e) -> cell.pipeline().key() == Key.NONE, Slot.KEY,
					Component.KAFKA, "per-key ordering: without a key an aggregate's events spread over partitions, "
							+ "which keep no order between them"),
			new Rule(Outcome.MISSED_DELETE, "capture `polling-table`", (cell, e) -> capture(cell, Capture.POLLING_TABLE),
					Slot.CAPTURE, Component.POLLER, "polling cannot see deletes: a deleted row is not there to select"),
			new Rule(Outcome.COLLAPSED_FLIP, "capture `polling-table`", (cell, e) -> capture(cell, Capture.POLLING_TABLE),
					Slot.CAPTURE, Component.POLLER, "polling collapses flips: it sees a row as it is at the poll, not "
							+ "the changes in between"),
			new Rule(Outcome.STALE_PROJECTION, "capture `polling-table`, deletes missed",
					(cell, e) -> capture(cell, Capture.POLLING_TABLE) && e.deletesMissed() > 0, Slot.CAPTURE,
					Component.POLLER, "polling cannot see deletes (nor the flips before them), so the projection keeps "
							+ "what the source no longer has"),
			new Rule(Outcome.STALE_PROJECTION, "capture `polling-table`, last states lost",
					(cell, e) -> capture(cell, Capture.POLLING_TABLE) && e.missing() > 0, Slot.CAPTURE, Component.POLLER,
					"polling misses late commits, so the projection lacks what they wrote"),
			new Rule(Outcome.STALE_PROJECTION, "sink `naive`, records redelivered",
					(cell, e) -> cell.pipeline().sink() == Sink.NAIVE && e.redelivered() > 0, Slot.SINK,
					Component.CONSUMER, "at-least-once delivery needs an idempotent sink: a redelivered change is "
							+ "applied again over a later one"),
			new Rule(Outcome.DISK_GROWTH_PAST_GUARD, "slot guard `off`",
					(cell, e) -> cell.pipeline().slotGuard() == SlotGuard.OFF, Slot.SLOT_GUARD, Component.SLOT,
					"slot retention: a slot keeps every byte of WAL not yet confirmed, and without the guard no one "
							+ "is told"),
			new Rule(Outcome.REDELIVERED_APPLIED_ONCE, "workload `search-index`, sink `idempotent`",
					(cell, e) -> cell.workload() == Workload.SEARCH_INDEX && cell.pipeline().sink() == Sink.IDEMPOTENT,
					Slot.SINK, Component.CONSUMER, "last write wins by version: the index applies a change only over an "
							+ "older version of its document (a delete leaves a versioned tombstone), so a redelivery, or "
							+ "any change older than what it holds, changes nothing"),
			new Rule(Outcome.REDELIVERED_APPLIED_ONCE, "sink `idempotent`",
					(cell, e) -> cell.pipeline().sink() == Sink.IDEMPOTENT, Slot.SINK, Component.CONSUMER,
					"at-least-once delivery needs an idempotent sink: the inbox applies each event id once"),
			new Rule(Outcome.NOTHING_LOST, "capture `log`, checkpoint `as-shipped`, the fault hits the relay",
					(cell, e) -> logAsShipped(cell) && hits(cell, Component.RELAY), Slot.CHECKPOINT, Component.RELAY,
					"confirm after ack: the slot sends again everything after the last position the relay confirmed, "
							+ "and it confirms only what Kafka acknowledged"),
			new Rule(Outcome.NOTHING_LOST, "capture `log`, checkpoint `as-shipped`, the fault hits Kafka",
					(cell, e) -> logAsShipped(cell) && hits(cell, Component.KAFKA), Slot.CHECKPOINT, Component.RELAY,
					"confirm after ack: nothing is confirmed while Kafka has not acknowledged it, and the idempotent "
							+ "producer retries"),
			new Rule(Outcome.NOTHING_LOST, "capture `log`, fault `long-transaction`",
					(cell, e) -> capture(cell, Capture.LOG) && cell.fault() == Fault.LONG_TRANSACTION, Slot.CAPTURE,
					Component.SLOT, "logical decoding emits each transaction at its commit, in commit order: a late "
							+ "commit comes after those that committed before it, never behind a mark"),
			new Rule(Outcome.NOTHING_LOST, "capture `log`, fault `delete` or `update-then-delete`",
					(cell, e) -> capture(cell, Capture.LOG)
							&& (cell.fault() == Fault.DELETE || cell.fault() == Fault.UPDATE_THEN_DELETE),
					Slot.CAPTURE, Component.SERVICE, "every change, a delete included, publishes its event in its own "
							+ "transaction, and the relay reads each from the WAL: nothing to miss, nothing collapsed"),
			new Rule(Outcome.NOTHING_LOST, "capture `log`, the fault hits PostgreSQL",
					(cell, e) -> capture(cell, Capture.LOG) && hits(cell, Component.POSTGRES), Slot.CAPTURE, Component.SLOT,
					"the slot's position outlives a restart (crash recovery restores the last one saved) and the "
							+ "relay resumes from it"),
			new Rule(Outcome.NOTHING_LOST, "capture `log`, the fault hits the service",
					(cell, e) -> capture(cell, Capture.LOG) && hits(cell, Component.SERVICE), Slot.CAPTURE,
					Component.SERVICE, "one transaction: the events commit or roll back with the business rows"),
			new Rule(Outcome.NOTHING_LOST, "capture `dual-write`",
					(cell, e) -> capture(cell, Capture.DUAL_WRITE), Slot.CAPTURE, Component.SENDER,
					"luck, not design: the fault missed the window between the commit and the send"),
			new Rule(Outcome.NOTHING_LOST, "a polling capture, the fault hits the poller",
					(cell, e) -> (capture(cell, Capture.POLLING_TABLE) || capture(cell, Capture.POLLING_OUTBOX))
							&& hits(cell, Component.POLLER),
					Slot.CHECKPOINT, Component.POLLER, "mark after ack: a killed poller resumes from its last mark (or "
							+ "the rows not yet marked), which it set only after Kafka acknowledged them; what it sent and "
							+ "had not marked is sent again"),
			new Rule(Outcome.NOTHING_LOST, "capture `polling-outbox`", (cell, e) -> capture(cell, Capture.POLLING_OUTBOX),
					Slot.CAPTURE, Component.POLLER, "every change is an outbox row of its own, and the poller looks for "
							+ "rows not yet marked sent, not for rows past a mark: a late commit is found at the next "
							+ "poll (after rows of higher sequence, in commit order), a delete and each step of a flip "
							+ "are rows like any other"),
			new Rule(Outcome.NOTHING_LOST, "capture `polling-table`, no late commit",
					(cell, e) -> capture(cell, Capture.POLLING_TABLE) && cell.fault() != Fault.LONG_TRANSACTION,
					Slot.CAPTURE, Component.POLLER, "every row's last state is past the mark when it commits, as long "
							+ "as rows commit in the order of their updated_at (one writer here; concurrent writers "
							+ "do not, and a late commit is lost)"),
			new Rule(Outcome.RETENTION_REPORTED, "slot guard `on`", (cell, e) -> cell.pipeline().slotGuard() == SlotGuard.ON,
					Slot.SLOT_GUARD, Component.RELAY, "slot retention: the slot keeps every byte not yet confirmed, "
							+ "and the relay's health is DOWN above retained-wal-critical"));

	private DecisionTable() {
	}

	/**
	 * Traces every outcome a run shows: breakages first, then what held.
	 * @param cell what ran
	 * @param evidence what it showed
	 * @return one finding per outcome that occurred, each explained by the first rule that holds, or
	 * unexplained
	 */
	public static List<Finding> trace(Cell cell, Evidence evidence) {
		List<Finding> findings = new ArrayList<>();
		for (Outcome outcome : Outcome.values()) {
			if (outcome.occurred(evidence)) {
				Rule rule = RULES.stream()
					.filter((candidate) -> candidate.outcome() == outcome && candidate.applies().test(cell, evidence))
					.findFirst()
					.orElse(null);
				findings.add(new Finding(outcome, outcome.evidence(evidence), rule));
			}
		}
		return findings;
	}

	/** @return the table as the lab's docs page states it: outcome, when, slot, component, concept */
	public static String markdown() {
		StringBuilder table = new StringBuilder("| outcome | when | slot | component | concept |\n|---|---|---|---|---|\n");
		for (Rule rule : RULES) {
			table.append("| ").append(rule.outcome().option()).append(rule.outcome().broken() ? " (red)" : " (green)")
				.append(" | ").append(rule.when()).append(" | ").append(rule.slot().option()).append(" | ")
				.append(rule.component().label()).append(" | ").append(rule.concept()).append(" |\n");
		}
		return table.toString();
	}

	private static boolean capture(Cell cell, Capture capture) {
		return cell.pipeline().capture() == capture;
	}

	private static boolean logAsShipped(Cell cell) {
		return capture(cell, Capture.LOG) && cell.pipeline().checkpoint() == Checkpoint.AS_SHIPPED;
	}

	private static boolean hits(Cell cell, Component component) {
		return cell.fault().needs().contains(component);
	}

}
