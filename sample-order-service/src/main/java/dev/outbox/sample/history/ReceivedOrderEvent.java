package dev.outbox.sample.history;

import java.util.UUID;

import dev.outbox.sample.order.events.OrderEvent;

/**
 * An order event as it arrived from Kafka: the relay's {@code id} and {@code eventType} headers,
 * and the payload, read into its record by {@code @InboxListener} by its event type.
 *
 * @param eventId the event id, unique per event and repeated on redelivery
 * @param eventType such as {@code OrderPlaced.v1}
 * @param event the payload
 */
public record ReceivedOrderEvent(UUID eventId, String eventType, OrderEvent event) {

}
