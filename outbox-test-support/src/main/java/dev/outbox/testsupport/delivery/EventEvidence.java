package dev.outbox.testsupport.delivery;

import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * What the consumer saw of one committed event.
 *
 * @param event the event, as named in the committed events
 * @param key the key (aggregate) it was committed under
 * @param position its place among the key's committed events, from 0, in commit order
 * @param deliveries every record that carried it, in the order read: the first occurrence, then
 * redeliveries (and copies under another id)
 * @param deliveredAfter the later-committed event of the same key whose first occurrence came
 * before this event's, or {@code null} when its first occurrence kept commit order (or it was
 * never delivered)
 */
public record EventEvidence(String event, String key, int position, List<Delivery> deliveries,
		@Nullable String deliveredAfter) {

	/** @return whether any record carried it */
	public boolean delivered() {
		return !this.deliveries.isEmpty();
	}

	/** @return whether its first occurrence came after a later-committed event of its key */
	public boolean outOfOrder() {
		return this.deliveredAfter != null;
	}

	/** @return its first occurrence, the one a deduplicating sink applies */
	public Optional<Delivery> first() {
		return this.deliveries.stream().findFirst();
	}

}
