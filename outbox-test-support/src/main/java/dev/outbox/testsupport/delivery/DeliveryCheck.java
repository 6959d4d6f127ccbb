package dev.outbox.testsupport.delivery;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Compares what was committed with what a consumer read: the one check behind every pipeline
 * test that asks whether anything was lost, delivered twice or reordered per key.
 * <p>
 * Rules, in the order they apply to each record as read:
 * <ol>
 * <li>a record whose {@code id} came before is a <em>duplicate</em> (a redelivery a deduplicating
 * sink skips); it is evidence for its event but nothing more;</li>
 * <li>a record naming no committed event is <em>unknown</em> (never committed, or committed
 * without the test seeing it): counted, but not order-checked, since it has no place in any
 * key's commit order;</li>
 * <li>a record with no id, under a key other than the one its event was committed under, or
 * carrying an event already delivered under another id is <em>inconsistent</em>;</li>
 * <li>otherwise it is its event's <em>first occurrence</em>, the one a deduplicating sink
 * applies. Order is checked on first occurrences only: per committed key, one that comes after a
 * later-committed event's first occurrence is <em>out of order</em>. Events never delivered do
 * not count against order; they are <em>missing</em>.</li>
 * </ol>
 * Order is the order of the list given: give each key's records in the order a consumer sees them
 * (partition by partition, by offset). Order is checked per the key an event was committed under,
 * not per record key, so that records sent without a key are checked too.
 */
public final class DeliveryCheck {

	private DeliveryCheck() {
	}

	/**
	 * Examines what a consumer read against what was committed.
	 * @param committed per key (aggregate), its committed events in commit order; an event name is
	 * unique across keys
	 * @param deliveries the records read, in the order read
	 * @return the evidence and the figures
	 */
	public static Examination examine(Map<String, List<String>> committed, List<Delivery> deliveries) {
		Map<String, Place> places = new HashMap<>();
		committed.forEach((key, events) -> {
			for (int position = 0; position < events.size(); position++) {
				Place earlier = places.put(events.get(position), new Place(key, position));
				if (earlier != null) {
					throw new IllegalArgumentException("committed events: " + events.get(position) + " committed twice, under "
							+ earlier.key() + " and " + key + "; name every event once");
				}
			}
		});
		Map<String, List<Delivery>> byEvent = new HashMap<>();
		Map<String, String> after = new HashMap<>();
		Map<String, List<String>> firstOccurrences = new LinkedHashMap<>();
		Map<String, Place> latestByKey = new HashMap<>();
		Map<String, Long> distinctByKey = new LinkedHashMap<>();
		Set<String> ids = new HashSet<>();
		List<Delivery> duplicates = new ArrayList<>();
		List<Delivery> unknown = new ArrayList<>();
		List<Inconsistency> inconsistencies = new ArrayList<>();
		for (Delivery delivery : deliveries) {
			Place place = places.get(delivery.event());
			if (!ids.add(delivery.id())) {
				duplicates.add(delivery);
				if (place != null) {
					byEvent.get(delivery.event()).add(delivery);
				}
				continue;
			}
			distinctByKey.merge(Objects.requireNonNullElse(delivery.key(), ""), 1L, Long::sum);
			if (delivery.id().isEmpty()) {
				inconsistencies.add(new Inconsistency(delivery, "no id"));
			}
			if (place == null) {
				unknown.add(delivery);
				continue;
			}
			if (delivery.key() != null && !delivery.key().equals(place.key())) {
				inconsistencies.add(new Inconsistency(delivery, "key " + delivery.key() + ", committed under " + place.key()));
			}
			List<Delivery> seen = byEvent.computeIfAbsent(delivery.event(), (event) -> new ArrayList<>());
			seen.add(delivery);
			if (seen.size() > 1) {
				inconsistencies.add(new Inconsistency(delivery, "delivered before under id " + seen.get(0).id()));
				continue;
			}
			firstOccurrences.computeIfAbsent(place.key(), (key) -> new ArrayList<>()).add(delivery.event());
			Place latest = latestByKey.get(place.key());
			if (latest != null && latest.position() > place.position()) {
				after.put(delivery.event(), committed.get(place.key()).get(latest.position()));
			}
			else {
				latestByKey.put(place.key(), place);
			}
		}
		List<EventEvidence> events = new ArrayList<>();
		committed.forEach((key, keyEvents) -> {
			for (int position = 0; position < keyEvents.size(); position++) {
				String event = keyEvents.get(position);
				events.add(new EventEvidence(event, key, position, List.copyOf(byEvent.getOrDefault(event, List.of())),
						after.get(event)));
			}
		});
		return new Examination(events, firstOccurrences, ids.size(), distinctByKey, duplicates, unknown, inconsistencies);
	}

	private record Place(String key, int position) {
	}

}
