package dev.outbox.testsupport.delivery;

import java.util.List;
import java.util.Map;

/**
 * What {@link DeliveryCheck#examine} found: the evidence for every committed event, and figures
 * drawn from it.
 *
 * @param events per committed event, in commit order per key: where it was delivered, and whether
 * its first occurrence kept order
 * @param firstOccurrences per committed key, its events in the order of their first occurrences
 * @param distinctDelivered distinct ids read
 * @param distinctByKey distinct ids read per record key (the empty string for records without a
 * key): what a deduplicating sink applies per key
 * @param duplicates records whose id came before
 * @param unknown records, first of their id, naming no committed event
 * @param inconsistencies records with no id, under the wrong key, or carrying a delivered event
 * under a second id
 */
public record Examination(List<EventEvidence> events, Map<String, List<String>> firstOccurrences,
		long distinctDelivered, Map<String, Long> distinctByKey, List<Delivery> duplicates, List<Delivery> unknown,
		List<Inconsistency> inconsistencies) {

	/** @return events committed */
	public long committed() {
		return this.events.size();
	}

	/** @return committed events no record carried */
	public long missing() {
		return this.events.stream().filter((event) -> !event.delivered()).count();
	}

	/** @return first occurrences that came after a later-committed event of their key */
	public long orderViolations() {
		return this.events.stream().filter(EventEvidence::outOfOrder).count();
	}

	/** @return keys with at least one first occurrence out of order */
	public long keysOutOfOrder() {
		return this.events.stream().filter(EventEvidence::outOfOrder).map(EventEvidence::key).distinct().count();
	}

	/** @return whether every committed event was delivered */
	public boolean complete() {
		return missing() == 0;
	}

	/** @return the first missing event, as "event (key)", or empty */
	public String firstMissing() {
		return this.events.stream()
			.filter((event) -> !event.delivered())
			.findFirst()
			.map((event) -> event.event() + " (key " + event.key() + ")")
			.orElse("");
	}

	/** @return the first out-of-order event with where it and the event before it were, or empty */
	public String firstOrderViolation() {
		return this.events.stream().filter(EventEvidence::outOfOrder).findFirst().map(this::describe).orElse("");
	}

	/** @return the first inconsistency, or empty */
	public String firstInconsistency() {
		return this.inconsistencies.isEmpty() ? "" : this.inconsistencies.get(0).toString();
	}

	private String describe(EventEvidence late) {
		String earlierWhere = this.events.stream()
			.filter((event) -> event.event().equals(late.deliveredAfter()))
			.findFirst()
			.flatMap(EventEvidence::first)
			.map(Delivery::where)
			.orElse("?");
		return "key " + late.key() + ": " + late.event() + " (" + late.first().map(Delivery::where).orElse("?")
				+ ") first delivered after " + late.deliveredAfter() + ", committed later (" + earlierWhere + ")";
	}

}
