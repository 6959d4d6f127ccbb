/**
 * Writes {@link dev.outbox.starter.OutboxDomainEvent} application events, such as Spring Data
 * domain events, to the outbox.
 */
@NullMarked
package dev.outbox.starter.domain;

import org.jspecify.annotations.NullMarked;
