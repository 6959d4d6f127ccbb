/**
 * Source: the logical replication connection, the startup checks that keep it honest, and the
 * stream of decoded pgoutput messages.
 */
@NullMarked
package dev.outbox.relay.source;

import org.jspecify.annotations.NullMarked;
