package dev.outbox.starter.jpa;

import dev.outbox.starter.OutboxDomainEvent;

/**
 * A Spring Data domain event that is also an outbox event.
 *
 * @param orderId the order id
 * @param customer the customer
 */
public record OrderPlaced(Long orderId, String customer) implements OutboxDomainEvent {

	@Override
	public String aggregateType() {
		return "PurchaseOrder";
	}

	@Override
	public String aggregateId() {
		return String.valueOf(this.orderId);
	}

}
