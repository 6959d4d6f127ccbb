/**
 * (e) The write path: a minimal JPA application using the starter, run as a child JVM, that
 * places orders with no event, one {@code @OutboxEvent} and ten.
 */
@NullMarked
package dev.outbox.bench.writepath;

import org.jspecify.annotations.NullMarked;
