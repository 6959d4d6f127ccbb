package dev.outbox.relay.source.pgoutput;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Writes {@code pgoutput} protocol version 1 payloads for tests: the low-level fields
 * (big-endian integers, NUL-terminated UTF-8 strings) and whole messages, starting at the
 * type byte as pgjdbc hands them over.
 */
public final class PgOutputBytes {

	private final ByteArrayOutputStream out = new ByteArrayOutputStream();

	private PgOutputBytes(char type) {
		this.out.write(type);
	}

	public static PgOutputBytes message(char type) {
		return new PgOutputBytes(type);
	}

	public static ByteBuffer begin(long finalLsn, Instant commitTime, int xid) {
		return message('B').int64(finalLsn).int64(micros(commitTime)).int32(xid).buffer();
	}

	public static ByteBuffer commit(long commitLsn, long endLsn, Instant commitTime) {
		return message('C').int8(0).int64(commitLsn).int64(endLsn).int64(micros(commitTime)).buffer();
	}

	public static ByteBuffer relation(int oid, String schema, String table, char replicaIdentity, Col... columns) {
		PgOutputBytes message = message('R').int32(oid).string(schema).string(table).int8(replicaIdentity)
			.int16(columns.length);
		for (Col column : columns) {
			message.int8(column.key ? 1 : 0).string(column.name).int32(column.typeOid).int32(-1);
		}
		return message.buffer();
	}

	public static ByteBuffer insert(int oid, Value... values) {
		return message('I').int32(oid).int8('N').tuple(values).buffer();
	}

	public static ByteBuffer delete(int oid, char marker, Value... values) {
		return message('D').int32(oid).int8(marker).tuple(values).buffer();
	}

	/** A logical decoding Message ({@code 'M'}) of a transaction that is not streamed. */
	public static ByteBuffer logicalMessage(boolean transactional, long lsn, String prefix, byte[] content) {
		return message('M').int8(transactional ? 1 : 0).int64(lsn).string(prefix).int32(content.length).bytes(content)
			.buffer();
	}

	public static Col column(String name, int typeOid) {
		return new Col(name, typeOid, false);
	}

	public static Col key(String name, int typeOid) {
		return new Col(name, typeOid, true);
	}

	public static Value text(String text) {
		return new Value('t', text);
	}

	public static Value nul() {
		return new Value('n', null);
	}

	public static Value unchangedToast() {
		return new Value('u', null);
	}

	PgOutputBytes int8(int value) {
		this.out.write(value);
		return this;
	}

	PgOutputBytes int16(int value) {
		this.out.write(value >>> 8);
		this.out.write(value);
		return this;
	}

	PgOutputBytes int32(int value) {
		for (int shift = 24; shift >= 0; shift -= 8) {
			this.out.write(value >>> shift);
		}
		return this;
	}

	PgOutputBytes int64(long value) {
		for (int shift = 56; shift >= 0; shift -= 8) {
			this.out.write((int) (value >>> shift));
		}
		return this;
	}

	PgOutputBytes string(String value) {
		this.out.writeBytes(value.getBytes(StandardCharsets.UTF_8));
		this.out.write(0);
		return this;
	}

	PgOutputBytes bytes(byte[] value) {
		this.out.writeBytes(value);
		return this;
	}

	PgOutputBytes tuple(Value... values) {
		int16(values.length);
		for (Value value : values) {
			int8(value.kind);
			if (value.text != null) {
				byte[] bytes = value.text.getBytes(StandardCharsets.UTF_8);
				int32(bytes.length).bytes(bytes);
			}
		}
		return this;
	}

	byte[] toByteArray() {
		return this.out.toByteArray();
	}

	ByteBuffer buffer() {
		return ByteBuffer.wrap(toByteArray());
	}

	/** The payload without its last {@code count} bytes. */
	ByteBuffer truncatedBy(int count) {
		byte[] bytes = toByteArray();
		return ByteBuffer.wrap(bytes, 0, bytes.length - count).slice();
	}

	static long micros(Instant instant) {
		long seconds = instant.getEpochSecond() - 946_684_800L;
		return Math.multiplyExact(seconds, 1_000_000L) + instant.getNano() / 1_000;
	}

	public record Col(String name, int typeOid, boolean key) {
	}

	public record Value(char kind, String text) {
	}

}
