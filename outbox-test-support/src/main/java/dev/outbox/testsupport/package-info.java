/**
 * The project's integration-test rig: a real PostgreSQL with {@code wal_level=logical}
 * ({@link dev.outbox.testsupport.PostgresTest}) and a real KRaft Kafka broker process
 * ({@link dev.outbox.testsupport.KafkaTest}). Nothing here is a fake: every pipeline test
 * talks to the same servers a user runs.
 */
@NullMarked
package dev.outbox.testsupport;

import org.jspecify.annotations.NullMarked;
