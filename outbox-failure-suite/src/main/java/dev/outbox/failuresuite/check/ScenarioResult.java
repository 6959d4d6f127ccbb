package dev.outbox.failuresuite.check;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

import dev.outbox.failuresuite.lab.Finding;

/**
 * What one scenario did and found.
 *
 * @param scenario the scenario's id
 * @param fault what was injected, and how often
 * @param faults how many faults were injected
 * @param figures the checker's figures
 * @param inboxDuplicatesSkipped deliveries the consumer's inbox skipped
 * @param recoveries per fault, time from its end to every event committed before it applied
 * @param findings every outcome the run showed, traced by the verifier to a slot, a component and a
 * concept, or unexplained
 * @param lossExpected whether this is the baseline, where loss and disorder are the point
 * @param violations broken invariants and unmet expectations; empty when it passed
 * @param notes evidence worth reading (health observed, takeover times)
 * @param elapsed wall time of the scenario
 */
public record ScenarioResult(String scenario, String fault, int faults, Figures figures,
		long inboxDuplicatesSkipped, List<Duration> recoveries, List<Finding> findings, boolean lossExpected,
		List<String> violations, List<String> notes, Duration elapsed) {

	/**
	 * Judges the figures against the invariants and adds the violations to those already found.
	 * @param scenario the scenario's id
	 * @param fault what was injected
	 * @param faults how many faults
	 * @param figures the figures
	 * @param inboxDuplicatesSkipped deliveries the inbox skipped
	 * @param recoveries recovery times
	 * @param findings the verifier's findings
	 * @param lossExpected whether loss is the point (the baseline)
	 * @param expectations violations of the scenario's own expectations, found while it ran
	 * @param notes evidence
	 * @param elapsed wall time
	 * @return the result
	 */
	public static ScenarioResult judge(String scenario, String fault, int faults, Figures figures,
			long inboxDuplicatesSkipped, List<Duration> recoveries, List<Finding> findings, boolean lossExpected,
			List<String> expectations, List<String> notes, Duration elapsed) {
		List<String> violations = new ArrayList<>(expectations);
		if (!lossExpected && figures.missing() > 0) {
			violations.add(figures.missing() + " committed events missing from Kafka (first: " + figures.firstMissing()
					+ ")");
		}
		if (!lossExpected && figures.orderViolations() > 0) {
			violations.add(figures.orderViolations() + " per-key order violations after dedup (first: "
					+ figures.firstOrderViolation() + ")");
		}
		if (figures.phantoms() > 0) {
			violations.add(figures.phantoms() + " events in Kafka that never committed");
		}
		if (figures.inconsistent() > 0) {
			violations.add(figures.inconsistent() + " records whose id, key and payload disagree (first: "
					+ figures.firstInconsistency() + ")");
		}
		if (figures.effectsAppliedMoreThanOnce() > 0) {
			violations.add(figures.effectsAppliedMoreThanOnce() + " consumer effects applied more than once");
		}
		if (figures.effectsNotApplied() > 0) {
			violations.add(figures.effectsNotApplied() + " delivered events the consumer never applied");
		}
		List<String> allNotes = new ArrayList<>(notes);
		if (lossExpected && figures.missing() == 0) {
			allNotes.add("lost nothing this time, although this design can: the fault missed the window in which it loses "
					+ "events");
		}
		return new ScenarioResult(scenario, fault, faults, figures, inboxDuplicatesSkipped, List.copyOf(recoveries),
				List.copyOf(findings), lossExpected, List.copyOf(violations), List.copyOf(allNotes), elapsed);
	}

	/** @return the verifier's findings in words, the breakages first, separated by semicolons */
	public String tracedTo() {
		return this.findings.stream().map(Finding::toString).collect(Collectors.joining("; "));
	}

	/** @return whether no invariant broke */
	public boolean passed() {
		return this.violations.isEmpty();
	}

	/** @return the longest recovery, or zero */
	public Duration maxRecovery() {
		return this.recoveries.isEmpty() ? Duration.ZERO : Collections.max(this.recoveries);
	}

	/** @return {@code PASS}, {@code FAIL}, or for the baseline {@code LOSS (expected)} */
	public String verdict() {
		if (!passed()) {
			return "FAIL";
		}
		if (this.lossExpected) {
			return (this.figures.missing() > 0) ? "LOSS (expected)" : "no loss observed";
		}
		return "PASS";
	}

}
