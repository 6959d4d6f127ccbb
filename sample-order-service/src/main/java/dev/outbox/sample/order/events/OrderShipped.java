package dev.outbox.sample.order.events;

import java.time.Instant;
import java.util.UUID;

import dev.outbox.starter.OutboxDomainEvent;

/**
 * A paid order was shipped, event type {@value #TYPE}. Registered on the aggregate as a Spring
 * Data domain event, and written to the outbox when the order is saved. JSON
 * (schema: {@code META-INF/outbox/schemas/OrderShipped.v1/v1.json}):
 * <pre>{@code
 * {"orderId":"0198a6a2-5c3e-7d2f-8b1a-2c3d4e5f6a7b","trackingNumber":"TRACK-0042",
 *  "occurredAt":"2026-03-02T14:00:00Z"}
 * }</pre>
 *
 * @param orderId the order
 * @param trackingNumber the carrier's tracking number
 * @param occurredAt when it left the warehouse
 */
public record OrderShipped(UUID orderId, String trackingNumber, Instant occurredAt)
		implements OrderEvent, OutboxDomainEvent {

	/** Event type, version 1. */
	public static final String TYPE = "OrderShipped.v1";

	@Override
	public String aggregateType() {
		return AGGREGATE_TYPE;
	}

	@Override
	public String aggregateId() {
		return this.orderId.toString();
	}

	@Override
	public String eventType() {
		return TYPE;
	}

}
