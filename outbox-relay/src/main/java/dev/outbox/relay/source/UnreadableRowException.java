package dev.outbox.relay.source;

import org.postgresql.replication.LogSequenceNumber;

import dev.outbox.relay.event.InvalidOutboxRowException;

/**
 * An INSERT into the outbox table that breaks the table contract (a column missing, a NULL where
 * the contract forbids it). It can be neither published nor skipped: the relay stops on it and
 * confirms nothing past it.
 */
public final class UnreadableRowException extends RuntimeException {

	private final long lsn;

	UnreadableRowException(long lsn, InvalidOutboxRowException cause) {
		super("Outbox row at LSN " + LogSequenceNumber.valueOf(lsn).asString() + " breaks the table contract: "
				+ cause.getMessage() + ". The relay stopped and confirms nothing past it; fix the writer, then "
				+ "restart the relay", cause);
		this.lsn = lsn;
	}

	/** @return the position of the row's INSERT */
	public long lsn() {
		return this.lsn;
	}

}
