/**
 * The one delivery checker of the project's pipeline tests: what was committed against what a
 * consumer read, with the evidence for every event (lost, duplicated, out of per-key order).
 * The relay's tests, the failure suite and the lab use it; see {@link dev.outbox.testsupport.delivery.DeliveryCheck}.
 */
@NullMarked
package dev.outbox.testsupport.delivery;

import org.jspecify.annotations.NullMarked;
