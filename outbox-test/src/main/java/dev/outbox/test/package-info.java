/**
 * The outbox test kit: {@link dev.outbox.test.AutoConfigureOutboxTestKit} on a test class makes
 * the events each committed transaction published available as {@link
 * dev.outbox.test.CapturedOutboxEvents}, in memory, with no relay and no Kafka.
 */
@NullMarked
package dev.outbox.test;

import org.jspecify.annotations.NullMarked;
