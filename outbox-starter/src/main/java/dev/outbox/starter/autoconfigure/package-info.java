/**
 * Auto-configuration of the outbox starter, and its {@code outbox.*} properties.
 */
@NullMarked
package dev.outbox.starter.autoconfigure;

import org.jspecify.annotations.NullMarked;
