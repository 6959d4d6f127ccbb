package dev.outbox.failuresuite.lab;

import java.util.EnumSet;
import java.util.Set;


/**
 * A run's own evidence, by name, as the decision table reads it: what the delivery checker found
 * (which committed events were delivered, where, in which order), what the sink did, and what was
 * observed of the pipeline's components while the fault was on.
 *
 * @param missing committed events never delivered
 * @param firstMissing the first of them, or empty
 * @param redelivered records whose event id came before
 * @param outOfOrder first occurrences after a later-committed event of their key
 * @param firstOutOfOrder the first of them, with where both were, or empty
 * @param effectsAppliedMoreThanOnce sink applications beyond one per distinct event
 * @param redeliveriesSkipped redeliveries the sink recognised and skipped
 * @param deletesMissed deletes committed at the source and not applied at the sink
 * @param flipsCollapsed changes of one row within a poll interval of which the sink saw only the last
 * @param projectionRowsDiffering rows where the sink's projection differs from the source after the run
 * @param observed what was seen of the components during the run
 */
public record Evidence(long missing, String firstMissing, long redelivered, long outOfOrder, String firstOutOfOrder,
		long effectsAppliedMoreThanOnce, long redeliveriesSkipped, long deletesMissed, long flipsCollapsed,
		long projectionRowsDiffering, Set<Observation> observed) {

	/**
	 * Defensive copy.
	 */
	public Evidence {
		observed = observed.isEmpty() ? EnumSet.noneOf(Observation.class) : EnumSet.copyOf(observed);
	}

	/** What was seen of a component while a run was on. */
	public enum Observation implements Choice {

		/** The slot retained more WAL than the guard's critical threshold allows. */
		RETAINED_WAL_PAST_CRITICAL,

		/** The relay's health said DOWN for retained WAL. */
		HEALTH_DOWN_FOR_RETAINED_WAL,

		/** The slot's confirmed position passed committed events that Kafka did not have. */
		CONFIRMED_PAST_KAFKA

	}

}
