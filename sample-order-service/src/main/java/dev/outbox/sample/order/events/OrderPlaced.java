package dev.outbox.sample.order.events;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An order was placed, event type {@value #TYPE}. JSON (schema:
 * {@code META-INF/outbox/schemas/OrderPlaced.v1/v1.json}):
 * <pre>{@code
 * {"orderId":"0198a6a2-5c3e-7d2f-8b1a-2c3d4e5f6a7b","customerId":"customer-42","currency":"EUR",
 *  "total":37.50,"lines":[{"sku":"BOOK-1","quantity":2,"unitPrice":12.50},
 *  {"sku":"PEN-7","quantity":5,"unitPrice":2.50}],"occurredAt":"2026-03-01T09:15:30.123456Z"}
 * }</pre>
 * Amounts are JSON numbers with the currency's two decimals.
 *
 * @param orderId id of the new order
 * @param customerId who placed it
 * @param currency ISO 4217 code of every amount in the order
 * @param total sum of the lines
 * @param lines what was ordered, in order
 * @param occurredAt when the order was placed
 */
public record OrderPlaced(UUID orderId, String customerId, String currency, BigDecimal total, List<Line> lines,
		Instant occurredAt) implements OrderEvent {

	/** Event type, version 1. */
	public static final String TYPE = "OrderPlaced.v1";

	public OrderPlaced {
		lines = List.copyOf(lines);
	}

	/**
	 * One line of the placed order.
	 * @param sku the article
	 * @param quantity how many
	 * @param unitPrice price of one, in the order's currency
	 */
	public record Line(String sku, int quantity, BigDecimal unitPrice) {
	}

}
