package dev.outbox.relay.source.pgoutput;

import java.time.Instant;

/**
 * Begin ({@code 'B'}): the start of a committed transaction.
 *
 * @param finalLsn the LSN of the transaction's commit record; equal to
 * {@link CommitMessage#commitLsn()} of the matching commit
 * @param commitTime when the transaction committed
 * @param xid the transaction id
 */
public record BeginMessage(long finalLsn, Instant commitTime, int xid) implements PgOutputMessage {

	/** The protocol type byte. */
	public static final char TYPE = 'B';

	@Override
	public char type() {
		return TYPE;
	}

}
