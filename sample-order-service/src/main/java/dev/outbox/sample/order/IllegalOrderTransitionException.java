package dev.outbox.sample.order;

import java.util.UUID;

/**
 * An action that the order's current status does not allow, such as shipping a cancelled order.
 * Thrown before anything is changed, so the transaction writes neither the order nor an event.
 */
public class IllegalOrderTransitionException extends RuntimeException {

	private final UUID orderId;

	private final OrderStatus status;

	private final String action;

	public IllegalOrderTransitionException(UUID orderId, OrderStatus status, String action) {
		super("Order " + orderId + " is " + status + " and cannot be " + action);
		this.orderId = orderId;
		this.status = status;
		this.action = action;
	}

	/** @return the order */
	public UUID orderId() {
		return this.orderId;
	}

	/** @return its status when the action was refused */
	public OrderStatus status() {
		return this.status;
	}

	/** @return the refused action, in the past participle ("shipped") */
	public String action() {
		return this.action;
	}

}
