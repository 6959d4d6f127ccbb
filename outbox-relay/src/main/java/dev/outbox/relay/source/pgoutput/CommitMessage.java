package dev.outbox.relay.source.pgoutput;

import java.time.Instant;

/**
 * Commit ({@code 'C'}): the end of the transaction opened by the last {@link BeginMessage}.
 *
 * <p>{@link #endLsn()} is the position to confirm to the server once every event of this
 * transaction and of all earlier ones is safely delivered: the server skips, on restart, every
 * transaction whose commit record starts before the confirmed position, and this transaction's
 * commit record starts at {@link #commitLsn()}, which is before {@code endLsn}. See
 * {@code dev.outbox.relay.checkpoint.LsnCheckpoint} for the full argument.
 *
 * @param commitLsn the LSN of the commit record
 * @param endLsn the LSN just past the commit record; strictly increasing from one commit to
 * the next within a replication session
 * @param commitTime when the transaction committed
 */
public record CommitMessage(long commitLsn, long endLsn, Instant commitTime) implements PgOutputMessage {

	/** The protocol type byte. */
	public static final char TYPE = 'C';

	@Override
	public char type() {
		return TYPE;
	}

}
