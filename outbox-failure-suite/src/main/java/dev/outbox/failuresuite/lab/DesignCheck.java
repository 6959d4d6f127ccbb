package dev.outbox.failuresuite.lab;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Whether a cell came out as its design predicts, from the verifier's findings: our pipeline breaks
 * nothing; another design may break, but only where the verifier traces the breakage to a slot in
 * which it differs from ours (its loss, its missed deletes, its duplicated effects are the finding,
 * not a failure of the run). A breakage traced to a slot that holds our value, or an outcome no
 * rule explains, is a surprise either way.
 */
public final class DesignCheck {

	private DesignCheck() {
	}

	/**
	 * @param pipeline the cell's pipeline
	 * @param findings the verifier's findings of its run
	 * @param violations the invariants its run broke ({@code ScenarioResult#violations})
	 * @return what its design does not explain, in words: findings, and for our pipeline (in any write
	 * mode) any broken invariant; empty when it came out as designed
	 */
	public static List<String> surprises(Pipeline pipeline, List<Finding> findings, List<String> violations) {
		List<String> surprises = new ArrayList<>();
		findings.stream().filter((finding) -> surprising(pipeline, finding)).map(Finding::toString).forEach(surprises::add);
		if (oursInAnyWriteMode(pipeline)) {
			violations.stream().map((violation) -> "our pipeline broke: " + violation).forEach(surprises::add);
		}
		return surprises;
	}

	private static boolean oursInAnyWriteMode(Pipeline pipeline) {
		return Arrays.stream(Slot.values())
			.filter((slot) -> slot != Slot.WRITE_MODE)
			.allMatch((slot) -> pipeline.in(slot) == Pipeline.OURS.in(slot));
	}

	private static boolean surprising(Pipeline pipeline, Finding finding) {
		Rule rule = finding.rule();
		if (rule == null) {
			return true;
		}
		return finding.outcome().broken() && pipeline.in(rule.slot()) == Pipeline.OURS.in(rule.slot());
	}

}
