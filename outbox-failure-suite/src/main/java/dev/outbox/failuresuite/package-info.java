/**
 * The failure suite: scenarios that inject crashes, restarts and network cuts into the running
 * pipeline (starter, PostgreSQL, relay, Kafka, inbox consumer) and check that nothing committed is
 * lost, reordered or applied twice.
 */
@NullMarked
package dev.outbox.failuresuite;

import org.jspecify.annotations.NullMarked;
