/**
 * The pipeline: one reader thread runs source → routing → sink, and the checkpoint decides what
 * may be confirmed. Its state is published for health and metrics.
 */
@NullMarked
package dev.outbox.relay.pipeline;

import org.jspecify.annotations.NullMarked;
