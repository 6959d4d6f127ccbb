/**
 * The inbox for spring-kafka: {@link dev.outbox.starter.inbox.kafka.InboxListener @InboxListener}
 * on a {@code @KafkaListener} method applies each record once by its {@code id} header. Loaded
 * only when spring-kafka is on the class path.
 */
@NullMarked
package dev.outbox.starter.inbox.kafka;

import org.jspecify.annotations.NullMarked;
