package dev.outbox.sample.order;

/**
 * Where an order is in its life: {@code PLACED → PAID → SHIPPED}, and {@code PLACED} or
 * {@code PAID → CANCELLED}. Every other move is an {@link IllegalOrderTransitionException}.
 */
public enum OrderStatus {

	PLACED, PAID, SHIPPED, CANCELLED

}
