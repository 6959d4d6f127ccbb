package dev.outbox.relay.source.pgoutput;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A bounds-checked cursor over one payload, reading the protocol's big-endian integers and
 * strings. It reads with absolute indexes and never moves the caller's buffer. Every failed
 * check becomes a {@link PgOutputDecodingException} at the current offset.
 *
 * <p>Reused from one payload to the next by its single decoder, so skipping allocates nothing.
 * Text is decoded as UTF-8: pgjdbc always sets {@code client_encoding} to UTF8, and the server
 * converts text and names to the client encoding before sending them.
 */
final class WireReader {

	private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

	private ByteBuffer buffer = EMPTY;

	private int start;

	private int limit;

	private int position;

	private long lsn;

	private char type = '?';

	/**
	 * Points this reader at a payload, from its position to its limit.
	 * @param payload the payload, positioned at the type byte
	 * @param lsn the payload's XLogData start LSN, for error messages
	 */
	void reset(ByteBuffer payload, long lsn) {
		this.buffer = (payload.order() == ByteOrder.BIG_ENDIAN) ? payload : payload.duplicate().order(ByteOrder.BIG_ENDIAN);
		this.start = payload.position();
		this.limit = payload.limit();
		this.position = this.start;
		this.lsn = lsn;
		this.type = '?';
	}

	/**
	 * Drops the reference to the last payload, so the reader holds no caller memory between
	 * payloads.
	 */
	void release() {
		this.buffer = EMPTY;
		this.start = 0;
		this.limit = 0;
		this.position = 0;
	}

	/**
	 * Returns the absolute position of the next byte to read, for {@link #errorAt}.
	 */
	int position() {
		return this.position;
	}

	/**
	 * Returns the number of bytes left to read.
	 */
	int remaining() {
		return this.limit - this.position;
	}

	/**
	 * Reads the type byte that starts every message.
	 * @return the type byte, unsigned
	 */
	int readType() {
		if (this.position >= this.limit) {
			throw error("empty payload, no message type byte");
		}
		int type = this.buffer.get(this.position++) & 0xff;
		this.type = (char) type;
		return type;
	}

	byte int8(String field) {
		require(1, field);
		return this.buffer.get(this.position++);
	}

	short int16(String field) {
		require(2, field);
		short value = this.buffer.getShort(this.position);
		this.position += 2;
		return value;
	}

	int int32(String field) {
		require(4, field);
		int value = this.buffer.getInt(this.position);
		this.position += 4;
		return value;
	}

	long int64(String field) {
		require(8, field);
		long value = this.buffer.getLong(this.position);
		this.position += 8;
		return value;
	}

	/**
	 * Reads a NUL-terminated string.
	 */
	String string(String field) {
		int end = terminator(field);
		String value = utf8(this.position, end - this.position);
		this.position = end + 1;
		return value;
	}

	/**
	 * Steps over a NUL-terminated string without decoding it.
	 */
	void skipString(String field) {
		this.position = terminator(field) + 1;
	}

	/**
	 * Compares a NUL-terminated string with the expected bytes in place, without decoding it, and
	 * steps over it when it matches.
	 * @param expected the expected string's bytes, without the NUL
	 * @return whether it matches; when not, the position is unchanged
	 */
	boolean stringEquals(byte[] expected, String field) {
		int length = expected.length;
		if (this.limit - this.position <= length) {
			terminator(field); // a truncated payload is an error whatever the prefix
			return false;
		}
		for (int i = 0; i < length; i++) {
			if (this.buffer.get(this.position + i) != expected[i]) {
				return false;
			}
		}
		if (this.buffer.get(this.position + length) != 0) {
			return false;
		}
		this.position += length + 1;
		return true;
	}

	/**
	 * Copies {@code length} bytes.
	 */
	byte[] bytes(int length, String field) {
		require(length, field);
		byte[] bytes = new byte[length];
		this.buffer.get(this.position, bytes);
		this.position += length;
		return bytes;
	}

	/**
	 * Reads a non-negative Int32 length that must fit in the rest of the payload.
	 */
	int length(String field) {
		int lengthOffset = this.position;
		int length = int32(field);
		if (length < 0) {
			throw errorAt(lengthOffset, "negative " + field + " " + length);
		}
		if (length > this.limit - this.position) {
			throw errorAt(lengthOffset, field + " " + length + " exceeds the " + (this.limit - this.position)
					+ " bytes that remain");
		}
		return length;
	}

	/**
	 * Reads {@code length} bytes as UTF-8 text.
	 */
	String text(int length, String field) {
		require(length, field);
		String value = utf8(this.position, length);
		this.position += length;
		return value;
	}

	void skip(int length, String field) {
		require(length, field);
		this.position += length;
	}

	/**
	 * Checks that the whole payload was read: trailing bytes mean the layout was not what the
	 * decoder assumed (for example a different protocol version), so nothing read can be trusted.
	 */
	void expectEnd() {
		if (this.position != this.limit) {
			throw error((this.limit - this.position) + " unexpected bytes after the last field");
		}
	}

	PgOutputDecodingException error(String problem) {
		return errorAt(this.position, problem);
	}

	PgOutputDecodingException errorAt(int absolutePosition, String problem) {
		return new PgOutputDecodingException(this.type, absolutePosition - this.start, this.limit - this.start, this.lsn,
				problem);
	}

	private void require(int bytes, String field) {
		if (this.limit - this.position < bytes) {
			throw error("truncated: " + field + " needs " + bytes + " bytes, " + (this.limit - this.position) + " remain");
		}
	}

	private int terminator(String field) {
		for (int i = this.position; i < this.limit; i++) {
			if (this.buffer.get(i) == 0) {
				return i;
			}
		}
		throw error("truncated: " + field + " has no terminating NUL byte");
	}

	private String utf8(int offset, int length) {
		if (this.buffer.hasArray()) {
			return new String(this.buffer.array(), this.buffer.arrayOffset() + offset, length, StandardCharsets.UTF_8);
		}
		byte[] bytes = new byte[length];
		this.buffer.get(offset, bytes);
		return new String(bytes, StandardCharsets.UTF_8);
	}

}
