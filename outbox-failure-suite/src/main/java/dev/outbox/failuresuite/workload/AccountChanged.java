package dev.outbox.failuresuite.workload;

/**
 * The workload's event: the {@code seq}-th change of an aggregate.
 *
 * @param aggregate the aggregate id (also the record key)
 * @param seq the aggregate's version after this event, from 1 in commit order
 */
public record AccountChanged(String aggregate, long seq) {

	/** Aggregate type of every workload event; the relay's topic template turns it into the topic. */
	public static final String AGGREGATE_TYPE = "account";

	/** Event type of every workload event. */
	public static final String EVENT_TYPE = "AccountChanged";

}
