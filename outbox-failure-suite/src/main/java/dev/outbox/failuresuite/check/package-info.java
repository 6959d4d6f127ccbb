/**
 * The suite's checks: what the database committed against what Kafka holds (through the shared
 * {@link dev.outbox.testsupport.delivery.DeliveryCheck}) and what the consumer applied, and the
 * report.
 */
@NullMarked
package dev.outbox.failuresuite.check;

import org.jspecify.annotations.NullMarked;
