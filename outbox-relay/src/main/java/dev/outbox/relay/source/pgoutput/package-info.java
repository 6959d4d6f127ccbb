/**
 * Decoder for the binary output of PostgreSQL's built-in {@code pgoutput} logical
 * decoding plugin, protocol version 1, text tuple format.
 *
 * <p>The source feeds {@link dev.outbox.relay.source.pgoutput.PgOutputDecoder#decode} one
 * XLogData payload at a time, exactly as {@code PGReplicationStream.readPending()} returns it,
 * and gets back one immutable {@link dev.outbox.relay.source.pgoutput.PgOutputMessage}:
 * <pre>{@code
 * PgOutputDecoder decoder = new PgOutputDecoder(ChangeFilter.insertsInto("public", "outbox_event"));
 * ByteBuffer payload = stream.readPending();
 * if (payload != null) {
 *     PgOutputMessage message = decoder.decode(payload, stream.getLastReceiveLSN().asLong());
 *     if (message instanceof InsertMessage insert) {
 *         Map<String, String> row = insert.newTuple().toMap(insert.relation());
 *         Instant createdAt = TimestamptzParser.parse(row.get("created_at"));
 *         ...
 *     }
 * }
 * }</pre>
 *
 * <p>What the decoder promises:
 * <ul>
 * <li>Every payload yields exactly one message or one
 * {@link dev.outbox.relay.source.pgoutput.PgOutputDecodingException}. A type byte it does not
 * handle yields a {@link dev.outbox.relay.source.pgoutput.SkippedMessage} that says why; it never
 * throws for an unknown type.</li>
 * <li>A handled message is read to its last byte: a payload that is shorter or longer than
 * its declared layout is an error naming the message type, the byte offset and the LSN, never
 * a silently wrong value.</li>
 * <li>Changes the {@link dev.outbox.relay.source.pgoutput.ChangeFilter} rejects are walked
 * (to validate them) but no string is built for them.</li>
 * </ul>
 *
 * <p>Threading: a decoder and its {@link dev.outbox.relay.source.pgoutput.RelationCache}
 * belong to the one thread that reads the replication stream. Use one decoder per replication session: the server re-sends
 * Relation messages on every new connection. The decoded messages are immutable and may be
 * handed to any thread.
 */
@NullMarked
package dev.outbox.relay.source.pgoutput;

import org.jspecify.annotations.NullMarked;
