/**
 * Trace propagation into outbox headers, active when Micrometer Tracing is on the classpath.
 */
@NullMarked
package dev.outbox.starter.tracing;

import org.jspecify.annotations.NullMarked;
