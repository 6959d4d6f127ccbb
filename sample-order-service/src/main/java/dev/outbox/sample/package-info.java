/**
 * A sample order service using the outbox starter: {@code order} holds the aggregate and the
 * business methods that emit events, {@code order.events} the versioned event types,
 * {@code web} the REST API, {@code history} the idempotent Kafka consumer and its read model.
 */
@NullMarked
package dev.outbox.sample;

import org.jspecify.annotations.NullMarked;
