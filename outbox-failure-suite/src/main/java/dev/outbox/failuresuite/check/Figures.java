package dev.outbox.failuresuite.check;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import dev.outbox.failuresuite.lab.Evidence;
import dev.outbox.failuresuite.lab.Evidence.Observation;
import dev.outbox.testsupport.delivery.EventEvidence;
import dev.outbox.testsupport.delivery.Examination;

/**
 * One scenario's figures: the delivery checker's, and the consumer's effects against the
 * distinct events delivered.
 *
 * @param committed events the database committed
 * @param delivered distinct events (ids) in Kafka
 * @param missing committed events not in Kafka
 * @param duplicates records whose id came before
 * @param orderViolations first occurrences that came after a later event of the same key
 * @param phantoms events in Kafka that the database never committed
 * @param inconsistent records whose id, key and payload do not agree (one event under two ids)
 * @param effectsAppliedMoreThanOnce consumer applications beyond one per distinct event
 * @param effectsNotApplied distinct events in Kafka the consumer never applied
 * @param firstMissing an example, or empty
 * @param firstOrderViolation an example, or empty
 * @param firstInconsistency an example, or empty
 */
public record Figures(long committed, long delivered, long missing, long duplicates, long orderViolations,
		long phantoms, long inconsistent, long effectsAppliedMoreThanOnce, long effectsNotApplied,
		String firstMissing, String firstOrderViolation, String firstInconsistency) {

	/**
	 * @param examination the delivery checker's finding
	 * @param applied each aggregate's consumer counter: one per event applied
	 * @return the figures
	 */
	public static Figures of(Examination examination, Map<String, Long> applied) {
		long appliedMoreThanOnce = 0;
		long notApplied = 0;
		Map<String, Long> delivered = distinctByAggregate(examination);
		Set<String> keys = new HashSet<>(applied.keySet());
		keys.addAll(delivered.keySet());
		for (String key : keys) {
			long difference = applied.getOrDefault(key, 0L) - delivered.getOrDefault(key, 0L);
			appliedMoreThanOnce += Math.max(0, difference);
			notApplied += Math.max(0, -difference);
		}
		return new Figures(examination.committed(), examination.distinctDelivered(), examination.missing(),
				examination.duplicates().size(), examination.orderViolations(), examination.unknown().size(),
				examination.inconsistencies().size(), appliedMoreThanOnce, notApplied, examination.firstMissing(),
				examination.firstOrderViolation(), examination.firstInconsistency());
	}

	/**
	 * @param examination the delivery checker's finding
	 * @return distinct events delivered per aggregate, what the consumer's counters should say: per
	 * record key, and for records sent without a key (the lab's key {@code none}, which the consumer
	 * applies to the aggregate the payload names) per the aggregate their event was committed under
	 */
	static Map<String, Long> distinctByAggregate(Examination examination) {
		Map<String, Long> delivered = new HashMap<>(examination.distinctByKey());
		if (delivered.remove("") != null) {
			for (EventEvidence event : examination.events()) {
				if (event.delivered() && event.deliveries().get(0).key() == null) {
					delivered.merge(event.key(), 1L, Long::sum);
				}
			}
		}
		return delivered;
	}

	/**
	 * The verifier's evidence of a run of the failure suite's workload, which has no deletes, flips
	 * or projection.
	 * @param redeliveriesSkipped what the inbox skipped
	 * @param observed what was seen of the components
	 * @return the evidence
	 */
	public Evidence evidence(long redeliveriesSkipped, Set<Observation> observed) {
		return new Evidence(this.missing, this.firstMissing, this.duplicates, this.orderViolations,
				this.firstOrderViolation, this.effectsAppliedMoreThanOnce, redeliveriesSkipped, 0, 0, 0, observed);
	}

}
