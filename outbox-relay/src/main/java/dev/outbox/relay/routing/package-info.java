/**
 * Routing: an outbox row becomes a Kafka record (topic, key, value, headers, timestamp).
 */
@NullMarked
package dev.outbox.relay.routing;

import org.jspecify.annotations.NullMarked;
