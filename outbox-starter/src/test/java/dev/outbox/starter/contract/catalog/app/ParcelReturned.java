package dev.outbox.starter.contract.catalog.app;

/**
 * A domain event through an abstract superclass: the scan declares it.
 */
public class ParcelReturned extends ParcelEvent {

	private final String parcelId;

	public ParcelReturned(String parcelId) {
		this.parcelId = parcelId;
	}

	@Override
	public String aggregateId() {
		return this.parcelId;
	}

	public String getParcelId() {
		return this.parcelId;
	}

}
