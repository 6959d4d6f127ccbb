package dev.outbox.sample.order;

import java.util.UUID;

/**
 * No order has the given id.
 */
public class OrderNotFoundException extends RuntimeException {

	private final UUID orderId;

	public OrderNotFoundException(UUID orderId) {
		super("Order " + orderId + " does not exist");
		this.orderId = orderId;
	}

	/** @return the id that was looked up */
	public UUID orderId() {
		return this.orderId;
	}

}
