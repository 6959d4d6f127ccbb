package dev.outbox.failuresuite.lab;

import org.jspecify.annotations.Nullable;

/**
 * One outcome of a run, traced: the rule that explains it, or none, when it is unexplained.
 *
 * @param outcome what the run showed
 * @param evidence the run's evidence of it, in words
 * @param rule the rule that explains it, or {@code null}: unexplained, never guessed
 */
public record Finding(Outcome outcome, String evidence, @Nullable Rule rule) {

	/** @return whether no rule explains it */
	public boolean unexplained() {
		return this.rule == null;
	}

	@Override
	public String toString() {
		String what = this.outcome.option() + " (" + this.evidence + ")";
		Rule traced = this.rule;
		if (traced == null) {
			return what + ": unexplained";
		}
		return what + ": " + traced.slot().option() + " slot, " + traced.component().label() + ": " + traced.concept();
	}

}
