/**
 * Tools for {@code scripts/demo.sh}, run from the service's jar but not part of the service.
 */
@NullMarked
package dev.outbox.sample.demo;

import org.jspecify.annotations.NullMarked;
