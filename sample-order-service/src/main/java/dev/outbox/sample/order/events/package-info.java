/**
 * The order aggregate's events, one versioned record per event type; see
 * {@link dev.outbox.sample.order.events.OrderEvent} for the wire format and versioning rules.
 */
@NullMarked
package dev.outbox.sample.order.events;

import org.jspecify.annotations.NullMarked;
