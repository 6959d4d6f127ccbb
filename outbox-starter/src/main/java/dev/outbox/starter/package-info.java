/**
 * What applications touch: {@link dev.outbox.starter.Outbox}, the
 * {@link dev.outbox.starter.OutboxEvent @OutboxEvent} annotation,
 * {@link dev.outbox.starter.OutboxDomainEvent} for Spring Data domain events, and
 * {@link dev.outbox.starter.OutboxHeadersContributor} for extra headers. On the consuming
 * side, {@link dev.outbox.starter.inbox.Inbox} and
 * {@link dev.outbox.starter.inbox.kafka.InboxListener @InboxListener} apply each received
 * event once.
 * <p>
 * Every way in ends in {@link dev.outbox.starter.Outbox#publish}, which validates and
 * serializes the event at the call site and hands it to the one write path,
 * {@link dev.outbox.starter.write.OutboxEventWriter}.
 */
@NullMarked
package dev.outbox.starter;

import org.jspecify.annotations.NullMarked;
