/**
 * Actuator health of the replication slot the relay reads the outbox from.
 */
@NullMarked
package dev.outbox.starter.health;

import org.jspecify.annotations.NullMarked;
