package dev.outbox.sample.history;

import java.time.Instant;
import java.util.UUID;

/**
 * One entry of an order's status history, the read model built from the order events.
 *
 * @param eventId the event that made it
 * @param eventType such as {@code OrderPaid.v1}
 * @param status the order's status after the event
 * @param occurredAt when the change happened (from the event)
 * @param recordedAt when the consumer applied the event
 */
public record OrderHistoryEntry(UUID eventId, String eventType, String status, Instant occurredAt,
		Instant recordedAt) {

}
