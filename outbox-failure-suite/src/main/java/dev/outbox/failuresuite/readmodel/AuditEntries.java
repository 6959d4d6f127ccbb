package dev.outbox.failuresuite.readmodel;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an audit log holds against what the source committed: each committed change must have
 * exactly one entry, and each entity's entries must come in the order of its changes. Pure logic,
 * over the entries in the order the sink appended them.
 * <ul>
 * <li><em>missing</em>: committed changes with no entry;</li>
 * <li><em>duplicates</em>: entries beyond the first of their change;</li>
 * <li><em>out of order</em>: first entries appended after an entry of a later change of their
 * entity (a duplicate is counted as a duplicate only, as the delivery checker counts first
 * occurrences).</li>
 * </ul>
 *
 * @param missing committed changes with no entry
 * @param firstMissing the first of them (in commit order per entity), or empty
 * @param duplicates entries beyond one per change
 * @param outOfOrder first entries appended after a later change's entry of their entity
 * @param firstOutOfOrder the first of them, or empty
 */
record AuditEntries(long missing, String firstMissing, long duplicates, long outOfOrder, String firstOutOfOrder) {

	/**
	 * @param committed per entity, the versions it committed, in commit order
	 * @param appended the audit log's entries, in the order the sink appended them
	 * @return what they show
	 */
	static AuditEntries examine(Map<Long, List<Long>> committed, List<Entry> appended) {
		Set<Entry> seen = new HashSet<>();
		Map<Long, Long> latest = new HashMap<>();
		long duplicates = 0;
		long outOfOrder = 0;
		String firstOutOfOrder = "";
		for (Entry entry : appended) {
			if (!seen.add(entry)) {
				duplicates++;
				continue;
			}
			long before = latest.merge(entry.entity(), entry.version(), Math::max);
			if (before != entry.version()) {
				outOfOrder++;
				firstOutOfOrder = firstOutOfOrder.isEmpty()
						? entry + " after " + new Entry(entry.entity(), before) : firstOutOfOrder;
			}
		}
		long missing = 0;
		String firstMissing = "";
		for (Map.Entry<Long, List<Long>> entity : committed.entrySet()) {
			for (long version : entity.getValue()) {
				Entry change = new Entry(entity.getKey(), version);
				if (!seen.contains(change)) {
					missing++;
					firstMissing = firstMissing.isEmpty() ? change.toString() : firstMissing;
				}
			}
		}
		return new AuditEntries(missing, firstMissing, duplicates, outOfOrder, firstOutOfOrder);
	}

	/**
	 * One entry of the audit log: a change of an entity.
	 *
	 * @param entity the entity (item)
	 * @param version its version after the change
	 */
	record Entry(long entity, long version) {

		@Override
		public String toString() {
			return ItemChange.event(this.entity, this.version);
		}

	}

}
