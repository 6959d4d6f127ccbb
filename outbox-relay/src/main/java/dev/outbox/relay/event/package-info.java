/**
 * The event as the relay's roles hand it on: the outbox row decoded by the source (from the
 * stream or the initial snapshot) and mapped by routing. Neutral ground, so that source and
 * routing need not import each other.
 */
@NullMarked
package dev.outbox.relay.event;

import org.jspecify.annotations.NullMarked;
