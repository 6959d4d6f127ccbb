package dev.outbox.starter.contract.catalog.app;

import dev.outbox.starter.OutboxDomainEvent;

/**
 * A domain event that names its event type itself, so the type is not known before an
 * instance exists: the scan skips it.
 *
 * @param parcelId the parcel id
 */
public record ParcelLost(String parcelId) implements OutboxDomainEvent {

	@Override
	public String aggregateType() {
		return "Parcel";
	}

	@Override
	public String aggregateId() {
		return this.parcelId;
	}

	@Override
	public String eventType() {
		return "parcel.lost";
	}

}
