package dev.outbox.sample.history;

import java.util.UUID;

/**
 * An order event as it arrived from Kafka: the relay's {@code id} and {@code eventType} headers,
 * the record key (the order id) and the JSON payload.
 *
 * @param eventId the event id, unique per event and repeated on redelivery
 * @param eventType such as {@code OrderPlaced.v1}
 * @param orderId the record key
 * @param payload the event's JSON
 */
public record ReceivedOrderEvent(UUID eventId, String eventType, String orderId, String payload) {

}
