package dev.outbox.relay.checkpoint;

import java.util.Objects;

import org.postgresql.replication.LogSequenceNumber;

/**
 * An event whose send failed for good, which froze the {@link LsnCheckpoint}: nothing at or
 * past its transaction is ever confirmed by that checkpoint. Health reports it.
 *
 * @param ticket the ticket {@link LsnCheckpoint#tryRegister} returned for the event
 * @param eventId the event id given at registration
 * @param lsn the event's LSN given at registration
 * @param cause why the send failed
 */
public record FailedEvent(long ticket, String eventId, long lsn, Throwable cause) {

	public FailedEvent {
		Objects.requireNonNull(eventId, "eventId");
		Objects.requireNonNull(cause, "cause");
	}

	/**
	 * Returns the event's LSN in PostgreSQL's {@code X/X} text form.
	 * @return the LSN text
	 */
	public String lsnText() {
		return LogSequenceNumber.valueOf(this.lsn).asString();
	}

	@Override
	public String toString() {
		return "FailedEvent[id=" + this.eventId + ", lsn=" + lsnText() + ", ticket=" + this.ticket + ", cause="
				+ this.cause + "]";
	}

}
