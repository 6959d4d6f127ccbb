package dev.outbox.failuresuite.check;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.outbox.failuresuite.check.TopicAudit.Delivered;

/**
 * Compares what the database committed with what Kafka holds and what the consumer applied.
 * <p>
 * The committed events of an aggregate are its sequences {@code 1 .. version} (see
 * {@link dev.outbox.failuresuite.workload.Schema}). An event is identified by its {@code id}
 * header; its first occurrence is the one a deduplicating consumer applies, so order is checked
 * on first occurrences only: for each key they must come in increasing sequence.
 */
public final class DeliveryCheck {

	private DeliveryCheck() {
	}

	/**
	 * Checks one scenario's outcome.
	 * @param committed each aggregate's committed version
	 * @param records every record of the topic, in partition and offset order
	 * @param applied each aggregate's consumer counter
	 * @return the figures
	 */
	public static Figures check(Map<String, Long> committed, List<Delivered> records, Map<String, Long> applied) {
		Set<String> ids = new HashSet<>();
		Map<String, Set<Long>> seqsByKey = new HashMap<>();
		Map<String, Long> lastSeqByKey = new HashMap<>();
		Map<String, Long> distinctByKey = new HashMap<>();
		long duplicates = 0;
		long orderViolations = 0;
		long phantoms = 0;
		long inconsistent = 0;
		String firstOrderViolation = "";
		String firstInconsistency = "";
		for (Delivered record : records) {
			if (!ids.add(record.id())) {
				duplicates++;
				continue;
			}
			distinctByKey.merge(record.key(), 1L, Long::sum);
			if (!record.key().equals(record.aggregate()) || record.seq() < 1 || record.id().isEmpty()
					|| !seqsByKey.computeIfAbsent(record.key(), (key) -> new HashSet<>()).add(record.seq())) {
				inconsistent++; // a second id for one (aggregate, seq), a key not matching the payload, no id
				if (firstInconsistency.isEmpty()) {
					firstInconsistency = record.toString();
				}
			}
			if (record.seq() > committed.getOrDefault(record.key(), 0L)) {
				phantoms++; // delivered, never committed
			}
			Long last = lastSeqByKey.put(record.key(), record.seq());
			if (last != null && record.seq() <= last) {
				orderViolations++;
				if (firstOrderViolation.isEmpty()) {
					firstOrderViolation = "key " + record.key() + ": seq " + record.seq() + " (partition "
							+ record.partition() + " offset " + record.offset() + ") after seq " + last;
				}
				lastSeqByKey.put(record.key(), last);
			}
		}
		long committedEvents = 0;
		long missing = 0;
		String firstMissing = "";
		for (Map.Entry<String, Long> aggregate : committed.entrySet()) {
			committedEvents += aggregate.getValue();
			Set<Long> seqs = seqsByKey.getOrDefault(aggregate.getKey(), Set.of());
			for (long seq = 1; seq <= aggregate.getValue(); seq++) {
				if (!seqs.contains(seq)) {
					missing++;
					if (firstMissing.isEmpty()) {
						firstMissing = aggregate.getKey() + " seq " + seq;
					}
				}
			}
		}
		long appliedMoreThanOnce = 0;
		long notApplied = 0;
		Set<String> keys = new HashSet<>(applied.keySet());
		keys.addAll(distinctByKey.keySet());
		for (String key : keys) {
			long difference = applied.getOrDefault(key, 0L) - distinctByKey.getOrDefault(key, 0L);
			appliedMoreThanOnce += Math.max(0, difference);
			notApplied += Math.max(0, -difference);
		}
		return new Figures(committedEvents, ids.size(), missing, duplicates, orderViolations, phantoms, inconsistent,
				appliedMoreThanOnce, notApplied, firstMissing, firstOrderViolation, firstInconsistency);
	}

	/**
	 * One scenario's figures.
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
	}

}
