/**
 * The benchmark harness behind {@code scripts/bench.sh}: writers, a verifying consumer, the relay
 * run as its executable jar, PostgreSQL's and Kafka's own ceilings ({@code pg_recvlogical},
 * {@code ProducerPerformance}), and resource sampling. Speed is measured here, never in tests.
 */
@NullMarked
package dev.outbox.bench;

import org.jspecify.annotations.NullMarked;
