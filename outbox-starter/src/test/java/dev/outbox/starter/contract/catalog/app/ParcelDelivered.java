package dev.outbox.starter.contract.catalog.app;

import dev.outbox.starter.OutboxDomainEvent;

/**
 * A domain event that keeps the default event type (its simple name) and payload (itself):
 * the scan declares it.
 *
 * @param parcelId the parcel id
 * @param recipient who received it
 */
public record ParcelDelivered(String parcelId, String recipient) implements OutboxDomainEvent {

	@Override
	public String aggregateType() {
		return "Parcel";
	}

	@Override
	public String aggregateId() {
		return this.parcelId;
	}

}
