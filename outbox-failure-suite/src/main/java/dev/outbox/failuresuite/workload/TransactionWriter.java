package dev.outbox.failuresuite.workload;

import java.util.List;

/**
 * Writes one business transaction and its events: the one seam between the outbox workload and
 * the dual-write baseline, so that both run the same load under the same crash.
 */
@FunctionalInterface
public interface TransactionWriter {

	/**
	 * Commits the changes and publishes (or sends) their events; throws when it could not.
	 * @param changes per aggregate, in ascending id order (the lock order), how many events
	 */
	void write(List<Change> changes);

	/**
	 * Events for one aggregate within a transaction.
	 *
	 * @param aggregateId the aggregate
	 * @param events how many, at least 1
	 */
	record Change(String aggregateId, int events) {
	}

}
