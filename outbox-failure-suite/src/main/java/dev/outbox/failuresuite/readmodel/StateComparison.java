package dev.outbox.failuresuite.readmodel;

import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * A sink that keeps each item's last state (a projection, a search index) against the source table
 * after a run: correct when the two are equal, deletes included. Pure logic.
 *
 * @param deletedStillHeld items the source no longer has and the sink still holds: deletes it never
 * applied
 * @param differing items where the two differ: absent on one side, or another version or value
 * (stale values)
 * @param firstDifference the lowest such item, in words, or empty
 */
record StateComparison(long deletedStillHeld, long differing, String firstDifference) {

	/**
	 * @param source per item, its state in the source table
	 * @param sink per item, its state in the sink
	 * @return the comparison
	 */
	static StateComparison compare(Map<Long, State> source, Map<Long, State> sink) {
		TreeSet<Long> items = new TreeSet<>(source.keySet());
		items.addAll(sink.keySet());
		long deletedStillHeld = 0;
		long differing = 0;
		String first = "";
		for (long item : items) {
			State at = source.get(item);
			State held = sink.get(item);
			if (at == null) {
				deletedStillHeld++;
			}
			if (!Objects.equals(at, held)) {
				differing++;
				first = first.isEmpty() ? ItemChange.key(item) + " source " + version(at) + ", sink " + version(held) : first;
			}
		}
		return new StateComparison(deletedStillHeld, differing, first);
	}

	private static String version(State state) {
		return (state == null) ? "none" : "v" + state.version();
	}

	/**
	 * An item's state.
	 *
	 * @param version its version
	 * @param value its value
	 */
	record State(long version, String value) {
	}

}
