package dev.outbox.failuresuite.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.outbox.failuresuite.lab.Evidence.Observation;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The verifier traces every outcome from the run's evidence to a slot, a component and a concept,
 * and says "unexplained" rather than guess.
 */
class DecisionTableUnitTests {

	private static final Evidence CLEAN = new Evidence(0, "", 0, 0, "", 0, 0, 0, 0, 0, Set.of());

	@Test
	void ourPipelineUnderRelayKillTracesNoLossToTheCheckpointAndRedeliveriesToTheSink() {
		Evidence redelivered = new Evidence(0, "", 57, 0, "", 0, 57, 0, 0, 0, Set.of());
		List<Finding> findings = DecisionTable.trace(ours(Fault.RELAY_KILL_9), redelivered);
		assertThat(findings).extracting(Finding::outcome)
			.containsExactly(Outcome.REDELIVERED_APPLIED_ONCE, Outcome.NOTHING_LOST);
		assertThat(traced(findings.get(0))).isEqualTo("sink/CONSUMER");
		assertThat(traced(findings.get(1))).isEqualTo("checkpoint/RELAY");
		assertThat(findings.get(0).toString()).contains("57 redeliveries, 57 skipped by the sink");
	}

	@Test
	void ourPipelineUnderEachKindOfFaultTracesNoLossToWhatAbsorbedIt() {
		assertThat(traced(DecisionTable.trace(ours(Fault.KAFKA_BROKER_KILL), CLEAN).get(0))).isEqualTo("checkpoint/RELAY");
		assertThat(traced(DecisionTable.trace(ours(Fault.POSTGRES_RESTART_IMMEDIATE), CLEAN).get(0)))
			.isEqualTo("capture/SLOT");
		assertThat(traced(DecisionTable.trace(ours(Fault.SERVICE_KILL_9), CLEAN).get(0))).isEqualTo("capture/SERVICE");
	}

	@Test
	void dualWriteLossUnderAServiceKillIsTheDualWriteGapInTheCapture() {
		Cell cell = Cell.of("microservice-events", Map.of("capture", "dual-write"), "kill-between-commit-and-send");
		Evidence lost = new Evidence(12, "agg-3 seq 9 (key agg-3)", 0, 0, "", 0, 0, 0, 0, 0, Set.of());
		Finding finding = DecisionTable.trace(cell, lost).get(0);
		assertThat(finding.outcome()).isEqualTo(Outcome.LOST);
		assertThat(traced(finding)).isEqualTo("capture/SENDER");
		assertThat(finding.toString()).startsWith("lost (12 committed events never delivered (first: agg-3 seq 9")
			.contains("dual-write gap");
	}

	@Test
	void confirmOnSendLossIsTracedToTheCheckpointOnlyWhenTheSlotConfirmedWhatKafkaDidNotHave() {
		Cell cell = Cell.of("microservice-events", Map.of("checkpoint", "confirm-on-send"), "relay-kafka-stall-then-kill-9");
		Evidence confirmedPast = new Evidence(480, "acct-00007 seq 12 (key acct-00007)", 0, 0, "", 0, 0, 0, 0, 0,
				Set.of(Observation.CONFIRMED_PAST_KAFKA));
		Finding finding = DecisionTable.trace(cell, confirmedPast).get(0);
		assertThat(finding.outcome()).isEqualTo(Outcome.LOST);
		assertThat(traced(finding)).isEqualTo("checkpoint/RELAY");
		assertThat(finding.toString()).contains("confirmed before acknowledged");
		Evidence lostOtherwise = new Evidence(480, "acct-00007 seq 12 (key acct-00007)", 0, 0, "", 0, 0, 0, 0, 0, Set.of());
		assertThat(DecisionTable.trace(cell, lostOtherwise).get(0).unexplained())
			.as("a loss without the slot seen confirming past Kafka is not guessed to be the checkpoint's")
			.isTrue();
	}

	@Test
	void pollingTableUnderDeletesMissesThemInTheCapture() {
		Cell cell = Cell.of("search-index", Map.of("capture", "polling-table"), "delete");
		Evidence missed = new Evidence(0, "", 0, 0, "", 0, 0, 40, 0, 40, Set.of());
		List<Finding> findings = DecisionTable.trace(cell, missed);
		assertThat(findings).extracting(Finding::outcome)
			.containsExactly(Outcome.MISSED_DELETE, Outcome.STALE_PROJECTION, Outcome.NOTHING_LOST);
		assertThat(traced(findings.get(0))).isEqualTo("capture/POLLER");
		assertThat(traced(findings.get(1))).isEqualTo("capture/POLLER");
		assertThat(traced(findings.get(2))).isEqualTo("capture/POLLER");
	}

	@Test
	void pollingTableUnderALongTransactionLosesTheLateCommitInTheCapture() {
		Cell cell = Cell.of("read-model", Map.of("capture", "polling-table"), "long-transaction");
		Evidence late = new Evidence(4, "item-1000001 v1 (key item-1000001)", 0, 0, "", 0, 0, 0, 140, 4, Set.of());
		List<Finding> findings = DecisionTable.trace(cell, late);
		assertThat(findings).extracting(Finding::outcome)
			.containsExactly(Outcome.LOST, Outcome.COLLAPSED_FLIP, Outcome.STALE_PROJECTION);
		assertThat(findings).extracting(DecisionTableUnitTests::traced).containsOnly("capture/POLLER");
		assertThat(findings.get(0).toString()).contains("misses late commits");
		assertThat(findings.get(2).toString()).contains("lacks what they wrote");
	}

	@Test
	void pollingOutboxKeepsLateCommitsAndALossThereIsUnexplained() {
		Cell cell = Cell.of("read-model", Map.of("capture", "polling-outbox"), "long-transaction");
		Finding kept = DecisionTable.trace(cell, CLEAN).get(0);
		assertThat(kept.outcome()).isEqualTo(Outcome.NOTHING_LOST);
		assertThat(traced(kept)).isEqualTo("capture/POLLER");
		assertThat(kept.toString()).contains("not yet marked sent");
		Evidence lost = new Evidence(1, "item-1000001 v1 (key item-1000001)", 0, 0, "", 0, 0, 0, 0, 1, Set.of());
		assertThat(DecisionTable.trace(cell, lost)).filteredOn((finding) -> finding.outcome().broken())
			.allMatch(Finding::unexplained)
			.isNotEmpty();
	}

	@Test
	void ourPipelineUnderTheFaultsThatBitePollersTracesNoLossToTheLogAndTheService() {
		Cell late = Cell.of("read-model", Map.of(), "long-transaction");
		assertThat(traced(DecisionTable.trace(late, CLEAN).get(0))).isEqualTo("capture/SLOT");
		assertThat(DecisionTable.trace(late, CLEAN).get(0).toString()).contains("in commit order");
		Cell deletes = Cell.of("read-model", Map.of(), "update-then-delete");
		assertThat(traced(DecisionTable.trace(deletes, CLEAN).get(0))).isEqualTo("capture/SERVICE");
		assertThat(DecisionTable.trace(deletes, CLEAN).get(0).toString()).contains("a delete included");
	}

	@Test
	void aKilledPollerLosesNothingTracedToItsMarkAfterAck() {
		Cell cell = Cell.of("read-model", Map.of("capture", "polling-table"), "poller-kill-9");
		Evidence redelivered = new Evidence(0, "", 32, 0, "", 0, 32, 0, 0, 0, Set.of());
		List<Finding> findings = DecisionTable.trace(cell, redelivered);
		assertThat(findings).extracting(DecisionTableUnitTests::traced).containsExactly("sink/CONSUMER", "checkpoint/POLLER");
	}

	@Test
	void naiveSinkAppliesRedeliveriesTwice() {
		Cell cell = Cell.of("microservice-events", Map.of("sink", "naive"), "relay-kill-9");
		Evidence twice = new Evidence(0, "", 30, 0, "", 30, 0, 0, 0, 0, Set.of());
		assertThat(traced(DecisionTable.trace(cell, twice).get(0))).isEqualTo("sink/CONSUMER");
	}

	@Test
	void theSearchIndexAbsorbsRedeliveriesByItsVersionCheckNotByAnInbox() {
		Cell cell = Cell.of("search-index", Map.of(), "relay-kill-9");
		Evidence redelivered = new Evidence(0, "", 21, 0, "", 0, 21, 0, 0, 0, Set.of());
		List<Finding> findings = DecisionTable.trace(cell, redelivered);
		assertThat(findings).extracting(DecisionTableUnitTests::traced).containsExactly("sink/CONSUMER", "checkpoint/RELAY");
		assertThat(findings.get(0).toString()).contains("last write wins by version").doesNotContain("inbox");
	}

	@Test
	void theAuditLogThroughAPollerOfTheTableLacksTheChangesBetweenPollsTracedToTheCapture() {
		Cell cell = Cell.of("audit-log", Map.of("capture", "polling-table"), "update-then-delete");
		Evidence missing = new Evidence(190, "item-3 v2", 0, 0, "", 0, 0, 0, 0, 0, Set.of());
		Finding finding = DecisionTable.trace(cell, missing).get(0);
		assertThat(finding.outcome()).isEqualTo(Outcome.LOST);
		assertThat(traced(finding)).isEqualTo("capture/POLLER");
		Cell outbox = Cell.of("audit-log", Map.of("capture", "polling-outbox"), "update-then-delete");
		assertThat(DecisionTable.trace(outbox, missing).get(0).unexplained())
			.as("a polling-outbox audit log missing entries is not guessed to be the poller's")
			.isTrue();
	}

	@Test
	void theAuditLogWithANaiveSinkHasDuplicateEntriesTracedToTheSink() {
		Cell cell = Cell.of("audit-log", Map.of("sink", "naive"), "relay-kill-9");
		Evidence twice = new Evidence(0, "", 14, 0, "", 14, 0, 0, 0, 0, Set.of());
		List<Finding> findings = DecisionTable.trace(cell, twice);
		assertThat(findings).extracting(Finding::outcome).containsExactly(Outcome.DUPLICATED_EFFECT, Outcome.NOTHING_LOST);
		assertThat(traced(findings.get(0))).isEqualTo("sink/CONSUMER");
	}

	@Test
	void unkeyedRecordsOutOfOrderAreTracedToTheKey() {
		Cell cell = Cell.of("audit-log", Map.of("key", "none"), "relay-kill-9");
		Evidence reordered = new Evidence(0, "", 0, 9, "key a: ...", 0, 0, 0, 0, 0, Set.of());
		assertThat(traced(DecisionTable.trace(cell, reordered).get(0))).isEqualTo("key/KAFKA");
	}

	@Test
	void retainedWalPastTheThresholdIsReportedWithTheGuardAndDiskGrowthWithout() {
		Evidence reported = new Evidence(0, "", 0, 0, "", 0, 0, 0, 0, 0,
				Set.of(Observation.RETAINED_WAL_PAST_CRITICAL, Observation.HEALTH_DOWN_FOR_RETAINED_WAL));
		assertThat(DecisionTable.trace(ours(Fault.RETAINED_WAL_CRITICAL), reported)).extracting(Finding::outcome)
			.contains(Outcome.RETENTION_REPORTED);
		Cell unguarded = Cell.of("microservice-events", Map.of("slot-guard", "off"), "retained-wal-critical");
		Evidence silent = new Evidence(0, "", 0, 0, "", 0, 0, 0, 0, 0, Set.of(Observation.RETAINED_WAL_PAST_CRITICAL));
		Finding growth = DecisionTable.trace(unguarded, silent).get(0);
		assertThat(growth.outcome()).isEqualTo(Outcome.DISK_GROWTH_PAST_GUARD);
		assertThat(traced(growth)).isEqualTo("slot-guard/SLOT");
	}

	@Test
	void lossNoRuleExplainsIsUnexplainedNotGuessed() {
		Evidence lost = new Evidence(3, "agg-1 seq 4 (key agg-1)", 0, 0, "", 0, 0, 0, 0, 0, Set.of());
		Finding finding = DecisionTable.trace(ours(Fault.RELAY_KILL_9), lost).get(0);
		assertThat(finding.outcome()).isEqualTo(Outcome.LOST);
		assertThat(finding.unexplained()).isTrue();
		assertThat(finding.toString()).endsWith(": unexplained");
	}

	@Test
	void everyBreakageHasAtLeastOneRule() {
		for (Outcome outcome : Outcome.values()) {
			assertThat(DecisionTable.RULES).as(outcome.option()).anyMatch((rule) -> rule.outcome() == outcome);
		}
	}

	@Test
	void labDocsPageStatesTheDecisionTableTheVerifierApplies() throws IOException {
		assertThat(Files.readString(Path.of("..", "docs", "lab.md"))).contains(DecisionTable.markdown());
	}

	private static Cell ours(Fault fault) {
		return new Cell(Workload.MICROSERVICE_EVENTS, Pipeline.OURS, fault);
	}

	private static String traced(Finding finding) {
		Rule rule = finding.rule();
		return (rule == null) ? "unexplained" : rule.slot().option() + "/" + rule.component().name();
	}

}
