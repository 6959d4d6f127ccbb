/**
 * The order aggregate, its repository and the use cases that change it and emit its events.
 */
@NullMarked
package dev.outbox.sample.order;

import org.jspecify.annotations.NullMarked;
