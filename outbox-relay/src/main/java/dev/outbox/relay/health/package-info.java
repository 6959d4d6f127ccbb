/**
 * Health and metrics: read the pipeline's state and the slot, never drive them.
 */
@NullMarked
package dev.outbox.relay.health;

import org.jspecify.annotations.NullMarked;
