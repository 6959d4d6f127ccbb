/**
 * The order status history: a read model fed by the service's own order events from Kafka,
 * applied once per event id whatever the number of deliveries, through the starter's inbox.
 */
@NullMarked
package dev.outbox.sample.history;

import org.jspecify.annotations.NullMarked;
