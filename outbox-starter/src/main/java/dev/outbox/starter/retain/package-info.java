/**
 * The purge of {@code retain} write mode: deletes outbox rows past their retention, in short
 * batches, one instance at a time.
 */
@NullMarked
package dev.outbox.starter.retain;

import org.jspecify.annotations.NullMarked;
