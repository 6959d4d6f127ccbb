package dev.outbox.starter;

import java.math.BigDecimal;

/**
 * The test application's business object.
 *
 * @param id the order id
 * @param customer the customer
 * @param total the order total
 */
public record Order(long id, String customer, BigDecimal total) {
}
