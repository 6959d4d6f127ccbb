package dev.outbox.relay.source.pgoutput;

import org.postgresql.replication.LogSequenceNumber;

/**
 * A payload that does not match the layout of its message type: truncated, too long, or
 * holding an impossible value. The message names the type, the byte offset (from the type
 * byte) where decoding stopped, the payload length and the LSN, so a dump of the stream can be
 * matched to it.
 *
 * <p>Decoding errors are not retryable by skipping: the decoder cannot know what the payload
 * meant, so the source should stop rather than risk losing an event.
 */
public class PgOutputDecodingException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final char messageType;

	private final int offset;

	private final long lsn;

	/**
	 * Creates an exception.
	 * @param messageType the message type byte as a character
	 * @param offset the offset from the type byte where decoding stopped
	 * @param length the payload length, type byte included
	 * @param lsn the XLogData start LSN of the payload
	 * @param problem what is wrong at that offset
	 */
	public PgOutputDecodingException(char messageType, int offset, int length, long lsn, String problem) {
		super("Malformed pgoutput " + MessageTypes.describe(messageType) + " message at LSN "
				+ LogSequenceNumber.valueOf(lsn).asString() + ", offset " + offset + " of " + length + ": " + problem);
		this.messageType = messageType;
		this.offset = offset;
		this.lsn = lsn;
	}

	/**
	 * Returns the type byte of the malformed message.
	 * @return the type byte as a character
	 */
	public char messageType() {
		return this.messageType;
	}

	/**
	 * Returns the offset from the type byte where decoding stopped.
	 * @return the offset
	 */
	public int offset() {
		return this.offset;
	}

	/**
	 * Returns the XLogData start LSN of the malformed payload.
	 * @return the LSN
	 */
	public long lsn() {
		return this.lsn;
	}

}
