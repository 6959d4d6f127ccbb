package dev.outbox.relay;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Compares what was committed (event ids per aggregate, in commit order) with what Kafka holds:
 * missing events, duplicates, and per-aggregate order violations among first occurrences.
 */
final class DeliveryCheck {

	private final Map<String, List<String>> committed = new LinkedHashMap<>();

	synchronized void committed(String aggregateId, List<String> ids) {
		this.committed.computeIfAbsent(aggregateId, (key) -> new ArrayList<>()).addAll(ids);
	}

	synchronized int committedCount() {
		return this.committed.values().stream().mapToInt(List::size).sum();
	}

	synchronized Result check(List<ConsumerRecord<String, String>> records) {
		Map<String, List<String>> firstSeen = new HashMap<>();
		Set<String> seen = new HashSet<>();
		Map<String, String> where = new HashMap<>();
		int duplicates = 0;
		for (ConsumerRecord<String, String> record : records) {
			String id = RelayFixture.header(record, "id");
			if (!seen.add(id)) {
				duplicates++;
				continue;
			}
			firstSeen.computeIfAbsent(record.key(), (key) -> new ArrayList<>()).add(id);
			where.put(id, record.partition() + "@" + record.offset());
		}
		int missing = 0;
		int orderViolations = 0;
		String firstViolation = "none";
		for (Map.Entry<String, List<String>> entry : this.committed.entrySet()) {
			List<String> expected = entry.getValue();
			for (String id : expected) {
				if (!seen.contains(id)) {
					missing++;
				}
			}
			List<String> delivered = firstSeen.getOrDefault(entry.getKey(), List.of());
			List<String> expectedDelivered = expected.stream().filter(seen::contains).toList();
			if (!delivered.equals(expectedDelivered)) {
				if (orderViolations == 0) {
					int at = 0;
					while (at < Math.min(delivered.size(), expectedDelivered.size())
							&& delivered.get(at).equals(expectedDelivered.get(at))) {
						at++;
					}
					firstViolation = "key " + entry.getKey() + " differs at index " + at + " of " + expectedDelivered.size()
							+ ": expected " + located(expectedDelivered.subList(at, Math.min(at + 3, expectedDelivered.size())), where)
							+ " but delivered " + located(delivered.subList(at, Math.min(at + 3, delivered.size())), where);
				}
				orderViolations++;
			}
		}
		return new Result(committedCount(), seen.size(), missing, duplicates, orderViolations, firstViolation);
	}

	private static List<String> located(List<String> ids, Map<String, String> where) {
		return ids.stream().map((id) -> id.substring(0, 8) + " at partition " + where.get(id)).toList();
	}

	record Result(int committed, int distinctDelivered, int missing, int duplicates, int keysOutOfOrder,
			String firstViolation) {

		boolean complete() {
			return this.missing == 0;
		}

	}

}
