package dev.outbox.testsupport.delivery;

/**
 * A record that cannot be what it claims: no id, a key other than its event's, or its event again
 * under a second id (one event published twice as two).
 *
 * @param delivery the record
 * @param reason what is wrong with it
 */
public record Inconsistency(Delivery delivery, String reason) {

	@Override
	public String toString() {
		return this.delivery.event() + " at " + this.delivery.where() + ": " + this.reason;
	}

}
