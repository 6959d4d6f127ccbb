package dev.outbox.relay;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The events a test's writers saw commit: ids per aggregate, in commit order. Thread-safe, so a
 * {@link BackgroundWriter} records while the test reads the count; the delivery check itself is
 * the shared {@link dev.outbox.testsupport.delivery.DeliveryCheck}.
 */
final class CommittedEvents {

	private final Map<String, List<String>> committed = new LinkedHashMap<>();

	synchronized void committed(String aggregateId, List<String> ids) {
		this.committed.computeIfAbsent(aggregateId, (key) -> new ArrayList<>()).addAll(ids);
	}

	synchronized int count() {
		return this.committed.values().stream().mapToInt(List::size).sum();
	}

	/** @return per aggregate, its committed event ids in commit order, as of now */
	synchronized Map<String, List<String>> snapshot() {
		Map<String, List<String>> copy = new LinkedHashMap<>();
		this.committed.forEach((aggregate, ids) -> copy.put(aggregate, List.copyOf(ids)));
		return copy;
	}

}
