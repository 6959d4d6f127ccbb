package dev.outbox.failuresuite.workload;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The workload's event: the {@code seq}-th change of an aggregate.
 *
 * @param aggregate the aggregate id (also the record key, unless the lab's key {@code none} drops it)
 * @param seq the aggregate's version after this event, from 1 in commit order
 */
public record AccountChanged(String aggregate, long seq) {

	/** Aggregate type of every workload event; the relay's topic template turns it into the topic. */
	public static final String AGGREGATE_TYPE = "account";

	/** Event type of every workload event. */
	public static final String EVENT_TYPE = "AccountChanged";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/**
	 * Reads an event from its payload, which names its aggregate whether or not the record has a key.
	 * @param payload the record's value, as the writers serialised the event
	 * @return the event; a field the payload lacks reads as {@code ""} or {@code -1}
	 */
	public static AccountChanged parse(String payload) {
		JsonNode node = JSON.readTree(payload);
		return new AccountChanged(node.path("aggregate").asString(""), node.path("seq").asLong(-1));
	}

}
