package dev.outbox.starter.contract.catalog.app;

import dev.outbox.starter.OutboxDomainEvent;

/**
 * An abstract domain event: no event is of this class itself, so the scan skips it (its
 * concrete subclasses are declared each under its own name).
 */
public abstract class ParcelEvent implements OutboxDomainEvent {

	@Override
	public String aggregateType() {
		return "Parcel";
	}

}
