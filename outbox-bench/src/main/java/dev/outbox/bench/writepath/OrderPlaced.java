package dev.outbox.bench.writepath;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The write path's event, shaped like the sample's {@code OrderPlaced}, with a note that brings
 * its JSON to about 400 bytes like the rest of the benchmark's payloads.
 *
 * @param orderId the order
 * @param customerId who placed it
 * @param currency currency of the amounts
 * @param total sum of the lines
 * @param lines what was ordered
 * @param occurredAt when
 * @param note padding
 */
public record OrderPlaced(UUID orderId, String customerId, String currency, BigDecimal total, List<Line> lines,
		Instant occurredAt, String note) {

	static final String NOTE = "Please deliver to the back entrance between nine and five; ring twice. "
			+ "Gift wrap the book, keep the receipt separate and leave the parcel with a neighbour if nobody answers.";

	/**
	 * One line.
	 * @param sku the article
	 * @param quantity how many
	 * @param unitPrice price of one
	 */
	public record Line(String sku, int quantity, BigDecimal unitPrice) {
	}

}
