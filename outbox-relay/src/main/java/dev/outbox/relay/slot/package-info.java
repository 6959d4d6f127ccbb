/**
 * Slot history: the fact that a replication slot has streamed (or that a standby saw it),
 * kept outside PostgreSQL where the least-privileged relay can write it, so that a slot dropped
 * while no relay ran is not silently created anew past the events committed meanwhile.
 */
@NullMarked
package dev.outbox.relay.slot;

import org.jspecify.annotations.NullMarked;
