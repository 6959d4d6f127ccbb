package dev.outbox.failuresuite.check;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Names the workload's events for the delivery checker: the committed events of an aggregate are
 * its sequences {@code 1 .. version} (see {@link dev.outbox.failuresuite.workload.Schema}), so an
 * event is named by its aggregate and sequence, read back from the payload of the record that
 * carries it.
 */
public final class SequencedEvents {

	private SequencedEvents() {
	}

	/**
	 * @param aggregate the aggregate
	 * @param seq the sequence within it
	 * @return the event's name
	 */
	public static String name(String aggregate, long seq) {
		return aggregate + " seq " + seq;
	}

	/**
	 * @param versions each aggregate's committed version
	 * @return per aggregate, its committed events in commit order
	 */
	public static Map<String, List<String>> committed(Map<String, Long> versions) {
		Map<String, List<String>> committed = new LinkedHashMap<>();
		versions.forEach((aggregate, version) -> {
			List<String> events = new ArrayList<>();
			for (long seq = 1; seq <= version; seq++) {
				events.add(name(aggregate, seq));
			}
			committed.put(aggregate, events);
		});
		return committed;
	}

}
