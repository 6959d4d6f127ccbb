package dev.outbox.sample.order.events;

import java.time.Instant;
import java.util.UUID;

/**
 * An event of the order aggregate, as published to Kafka by the relay.
 * <p>
 * On the wire: topic {@code outbox.event.order} (aggregate type {@value #AGGREGATE_TYPE}), key =
 * the order id, value = the record's JSON, header {@code eventType} = the record's {@code TYPE}
 * constant, header {@code id} = the event id (a UUIDv7, the consumer's deduplication key).
 * Each event type's JSON Schema is committed under
 * {@code src/main/resources/META-INF/outbox/schemas/<eventType>/v<N>.json}, generated from the
 * records and checked against them by {@code OrderEventContractUnitTests}.
 * <p>
 * Versioning: the version is part of the event type ({@code OrderPlaced.v1}). Adding a field keeps
 * the version (consumers ignore unknown fields); renaming, removing or changing the meaning of a
 * field makes a new record with the next version, and consumers must accept both while old events
 * can still arrive.
 */
public sealed interface OrderEvent permits OrderPlaced, OrderPaid, OrderCancelled, OrderShipped {

	/** Aggregate type of every order event; the relay routes it to {@code outbox.event.order}. */
	String AGGREGATE_TYPE = "order";

	/** @return id of the order the event belongs to */
	UUID orderId();

	/** @return when the change happened, as committed with the order */
	Instant occurredAt();

}
