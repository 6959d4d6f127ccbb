/**
 * The scenarios, one fault each, and the run that each executes on.
 */
@NullMarked
package dev.outbox.failuresuite.scenario;

import org.jspecify.annotations.NullMarked;
