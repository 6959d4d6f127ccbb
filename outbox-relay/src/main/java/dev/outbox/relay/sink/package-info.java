/**
 * Sink: the Kafka producer, configured so that acknowledged means durable and per-partition
 * order survives retries.
 */
@NullMarked
package dev.outbox.relay.sink;

import org.jspecify.annotations.NullMarked;
