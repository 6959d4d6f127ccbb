package dev.outbox.starter;

/**
 * An application event that is an outbox event, published with
 * {@code ApplicationEventPublisher}.
 *
 * @param customerId the customer id
 * @param name the customer's name
 */
public record CustomerRegistered(String customerId, String name) implements OutboxDomainEvent {

	@Override
	public String aggregateType() {
		return "Customer";
	}

	@Override
	public String aggregateId() {
		return this.customerId;
	}

}
