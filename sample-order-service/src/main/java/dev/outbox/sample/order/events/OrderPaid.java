package dev.outbox.sample.order.events;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * An order was paid, event type {@value #TYPE}. JSON (schema:
 * {@code META-INF/outbox/schemas/OrderPaid.v1/v1.json}):
 * <pre>{@code
 * {"orderId":"0198a6a2-5c3e-7d2f-8b1a-2c3d4e5f6a7b","paymentReference":"PAY-2026-0001",
 *  "amount":37.50,"currency":"EUR","occurredAt":"2026-03-01T09:16:02.500Z"}
 * }</pre>
 *
 * @param orderId the order
 * @param paymentReference the payment provider's reference
 * @param amount amount paid (the order's total)
 * @param currency ISO 4217 code of the amount
 * @param occurredAt when the payment was recorded
 */
public record OrderPaid(UUID orderId, String paymentReference, BigDecimal amount, String currency,
		Instant occurredAt) implements OrderEvent {

	/** Event type, version 1. */
	public static final String TYPE = "OrderPaid.v1";

}
