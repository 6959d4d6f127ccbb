/**
 * The lab's relay variants: relays built from the shipped relay's own roles (source, routing,
 * sink, checkpoint) with one slot changed, to show what that slot's choice costs. They live here,
 * never in the relay: no setting of the relay's jar reaches them. Each runs inside the relay's
 * executable jar, launched by the rig ({@link dev.outbox.failuresuite.rig.RelayLaunch}), as the
 * shipped relay does, so that a fault hits it exactly as it hits ours.
 */
@NullMarked
package dev.outbox.failuresuite.variant;

import org.jspecify.annotations.NullMarked;
