/**
 * The one write path. {@link dev.outbox.starter.write.DefaultOutbox} validates and serializes
 * an event at the call site; {@link dev.outbox.starter.write.OutboxEventWriter} buffers it in
 * the caller's transaction and writes each batch in the way of the
 * {@link dev.outbox.starter.write.OutboxWriteMode}: one multi-row INSERT and one DELETE of
 * exactly the row versions that INSERT returned, the INSERT alone, or one statement emitting a
 * transactional WAL message per event.
 */
@NullMarked
package dev.outbox.starter.write;

import org.jspecify.annotations.NullMarked;
