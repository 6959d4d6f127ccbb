/**
 * Support for {@link dev.outbox.starter.OutboxEvent @OutboxEvent}: a bean post-processor
 * that adds an interceptor, innermost in the advice chain, to beans with annotated methods.
 */
@NullMarked
package dev.outbox.starter.annotation;

import org.jspecify.annotations.NullMarked;
