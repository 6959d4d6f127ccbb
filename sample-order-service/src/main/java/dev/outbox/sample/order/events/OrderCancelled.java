package dev.outbox.sample.order.events;

import java.time.Instant;
import java.util.UUID;

/**
 * An order was cancelled, event type {@value #TYPE}. JSON (schema:
 * {@code META-INF/outbox/schemas/OrderCancelled.v1/v1.json}):
 * <pre>{@code
 * {"orderId":"0198a6a2-5c3e-7d2f-8b1a-2c3d4e5f6a7b","reason":"customer changed their mind",
 *  "occurredAt":"2026-03-01T09:20:00Z"}
 * }</pre>
 *
 * @param orderId the order
 * @param reason why, as given by the caller
 * @param occurredAt when it was cancelled
 */
public record OrderCancelled(UUID orderId, String reason, Instant occurredAt) implements OrderEvent {

	/** Event type, version 1. */
	public static final String TYPE = "OrderCancelled.v1";

}
