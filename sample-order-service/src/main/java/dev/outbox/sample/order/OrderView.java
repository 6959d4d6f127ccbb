package dev.outbox.sample.order;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * An order as the API returns it.
 *
 * @param id the order id
 * @param customerId who ordered
 * @param status where it is in its life
 * @param currency ISO 4217 code of the amounts
 * @param total sum of the lines
 * @param lines what was ordered
 * @param paymentReference set once paid
 * @param trackingNumber set once shipped
 * @param cancelReason set once cancelled
 * @param createdAt when it was placed
 * @param updatedAt when it last changed
 * @param version optimistic-lock version, incremented by each change
 */
public record OrderView(UUID id, String customerId, OrderStatus status, String currency, BigDecimal total,
		List<Line> lines, @Nullable String paymentReference, @Nullable String trackingNumber,
		@Nullable String cancelReason, Instant createdAt, Instant updatedAt, long version) {

	static OrderView of(Order order) {
		List<Line> lines = order.lines()
			.stream()
			.map(line -> new Line(line.sku(), line.quantity(), line.unitPrice()))
			.toList();
		return new OrderView(order.id(), order.customerId(), order.status(), order.currency(), order.total(), lines,
				order.paymentReference(), order.trackingNumber(), order.cancelReason(), order.createdAt(),
				order.updatedAt(), order.version());
	}

	/**
	 * One line.
	 *
	 * @param sku the article
	 * @param quantity how many
	 * @param unitPrice price of one
	 */
	public record Line(String sku, int quantity, BigDecimal unitPrice) {
	}

}
