/**
 * The relay application: tails a PostgreSQL logical replication slot (pgoutput) and publishes
 * every outbox INSERT to Kafka, keyed by aggregate id, at least once and in per-aggregate order.
 */
@NullMarked
package dev.outbox.relay;

import org.jspecify.annotations.NullMarked;
