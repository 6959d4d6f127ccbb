package dev.outbox.relay.source.pgoutput;

import java.util.Objects;

/**
 * Logical decoding Message ({@code 'M'}) under the prefix the decoder was given: what
 * {@code pg_logical_emit_message(transactional, prefix, content)} wrote into the WAL. Messages
 * under any other prefix are skipped by the decoder before their content is copied.
 * <p>
 * A transactional message arrives between the Begin and the Commit of the transaction that
 * emitted it, in the position it was emitted among that transaction's changes, and only if the
 * transaction committed. A non-transactional one arrives as soon as the server decodes it,
 * outside any transaction, whether or not the emitting transaction ever commits.
 *
 * @param transactional whether it was emitted with {@code transactional = true}
 * @param lsn the message's LSN as pgoutput sends it: the end of its WAL record, which is what
 * {@code pg_logical_emit_message} returns
 * @param prefix the prefix it was emitted under
 * @param content its content, as emitted (the {@code text} and {@code bytea} overloads of
 * {@code pg_logical_emit_message} write the same bytes); owned by this message
 */
public record LogicalMessage(boolean transactional, long lsn, String prefix, byte[] content)
		implements PgOutputMessage {

	/** The protocol type byte. */
	public static final char TYPE = 'M';

	public LogicalMessage {
		Objects.requireNonNull(prefix, "prefix");
		Objects.requireNonNull(content, "content");
	}

	@Override
	public char type() {
		return TYPE;
	}

	@Override
	public String toString() {
		return "LogicalMessage[transactional=" + this.transactional + ", lsn=" + Long.toHexString(this.lsn)
				+ ", prefix=" + this.prefix + ", " + this.content.length + " bytes]";
	}

}
