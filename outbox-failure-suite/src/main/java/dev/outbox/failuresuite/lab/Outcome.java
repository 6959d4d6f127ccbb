package dev.outbox.failuresuite.lab;

import java.util.function.Function;
import java.util.function.Predicate;

import dev.outbox.failuresuite.lab.Evidence.Observation;

/**
 * What a run can show at the sink: the breakages (red) and what held although a fault was fired
 * (green). Whether an outcome occurred is read from the evidence alone; what caused or absorbed
 * it is the {@link DecisionTable}'s job.
 */
public enum Outcome implements Choice {

	/** Committed events never delivered. */
	LOST(true, (e) -> e.missing() > 0, (e) -> e.missing() + " committed events never delivered (first: " + e.firstMissing() + ")"),

	/** An event's effect applied more than once. */
	DUPLICATED_EFFECT(true, (e) -> e.effectsAppliedMoreThanOnce() > 0,
			(e) -> e.effectsAppliedMoreThanOnce() + " effects applied more than once, " + e.redelivered() + " redeliveries"),

	/** First occurrences out of their key's commit order. */
	REORDERED(true, (e) -> e.outOfOrder() > 0,
			(e) -> e.outOfOrder() + " events delivered out of their key's commit order (first: " + e.firstOutOfOrder() + ")"),

	/** Deletes at the source that the sink never applied. */
	MISSED_DELETE(true, (e) -> e.deletesMissed() > 0, (e) -> e.deletesMissed() + " deletes never applied"),

	/** Changes of one row of which the sink saw only the last. */
	COLLAPSED_FLIP(true, (e) -> e.flipsCollapsed() > 0, (e) -> e.flipsCollapsed() + " changes seen only as their last state"),

	/** A projection that differs from the source after the run. */
	STALE_PROJECTION(true, (e) -> e.projectionRowsDiffering() > 0,
			(e) -> e.projectionRowsDiffering() + " projected rows differ from the source"),

	/** Retained WAL past the guard's threshold with no one told. */
	DISK_GROWTH_PAST_GUARD(true,
			(e) -> e.observed().contains(Observation.RETAINED_WAL_PAST_CRITICAL)
					&& !e.observed().contains(Observation.HEALTH_DOWN_FOR_RETAINED_WAL),
			(e) -> "WAL retained past the critical threshold, health never DOWN"),

	/** Redeliveries that were applied once. */
	REDELIVERED_APPLIED_ONCE(false, (e) -> e.redelivered() > 0 && e.effectsAppliedMoreThanOnce() == 0,
			(e) -> e.redelivered() + " redeliveries, " + e.redeliveriesSkipped() + " skipped by the sink, no effect twice"),

	/** Every committed event delivered, although a fault was fired. */
	NOTHING_LOST(false, (e) -> e.missing() == 0, (e) -> "every committed event delivered"),

	/** Retained WAL past the threshold, and the relay said so. */
	RETENTION_REPORTED(false,
			(e) -> e.observed().contains(Observation.RETAINED_WAL_PAST_CRITICAL)
					&& e.observed().contains(Observation.HEALTH_DOWN_FOR_RETAINED_WAL),
			(e) -> "WAL retained past the critical threshold, health DOWN while it was");

	private final boolean broken;

	private final Predicate<Evidence> occurred;

	private final Function<Evidence, String> evidence;

	Outcome(boolean broken, Predicate<Evidence> occurred, Function<Evidence, String> evidence) {
		this.broken = broken;
		this.occurred = occurred;
		this.evidence = evidence;
	}

	/** @return whether it is a breakage (red), rather than something that held (green) */
	public boolean broken() {
		return this.broken;
	}

	/**
	 * @param evidence a run's evidence
	 * @return whether the run shows this outcome
	 */
	public boolean occurred(Evidence evidence) {
		return this.occurred.test(evidence);
	}

	/**
	 * @param evidence a run's evidence
	 * @return the evidence of this outcome, in words
	 */
	public String evidence(Evidence evidence) {
		return this.evidence.apply(evidence);
	}

}
