/**
 * What may be confirmed to PostgreSQL, and when: the acknowledgement watermark.
 *
 * <p>{@link dev.outbox.relay.checkpoint.LsnCheckpoint} owns the one argument that keeps the
 * relay from losing events: it confirms a position only when every event of every transaction
 * that commits before that position is acknowledged by Kafka. Read its class comment before
 * changing how the source reads or how the sink acknowledges.
 */
@NullMarked
package dev.outbox.relay.checkpoint;

import org.jspecify.annotations.NullMarked;
