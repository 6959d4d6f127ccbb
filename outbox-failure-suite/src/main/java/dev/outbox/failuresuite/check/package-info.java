/**
 * The checker: what the database committed against what Kafka holds and what the consumer applied,
 * and the report.
 */
@NullMarked
package dev.outbox.failuresuite.check;

import org.jspecify.annotations.NullMarked;
