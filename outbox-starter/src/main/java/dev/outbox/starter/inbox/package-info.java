/**
 * The inbox: {@link dev.outbox.starter.inbox.Inbox} applies a consumed event once in effect
 * by recording its id in the consumer's own transaction
 * ({@link dev.outbox.starter.inbox.JdbcInbox} says why that is enough), and
 * {@link dev.outbox.starter.inbox.InboxCleanup} deletes ids past their retention. Nothing here
 * depends on Kafka; {@link dev.outbox.starter.inbox.kafka} adapts it to {@code @KafkaListener}.
 */
@NullMarked
package dev.outbox.starter.inbox;

import org.jspecify.annotations.NullMarked;
