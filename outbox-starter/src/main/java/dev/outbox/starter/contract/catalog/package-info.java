/**
 * Which event types the application publishes (issue 13, §1): collected at startup from
 * {@link dev.outbox.starter.OutboxEvent @OutboxEvent} methods of beans,
 * {@link dev.outbox.starter.OutboxDomainEvent} classes in the application's packages and
 * {@link dev.outbox.starter.OutboxEventTypes} beans into one
 * {@link dev.outbox.starter.contract.EventTypeCatalog}.
 * <p>
 * {@link dev.outbox.starter.contract.catalog.DeclaredEventTypeCatalog} merges declarations
 * and rejects conflicting ones (pure logic);
 * {@link dev.outbox.starter.contract.catalog.ApplicationEventTypeCatalog} finds them in a
 * Spring application.
 */
@NullMarked
package dev.outbox.starter.contract.catalog;

import org.jspecify.annotations.NullMarked;
