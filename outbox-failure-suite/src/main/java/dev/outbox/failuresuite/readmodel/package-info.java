/**
 * The lab's {@code read-model} workload and the two polling captures it is run through: a table of
 * items that one writer inserts, updates and (under the faults) deletes, a consumer's projection of
 * it, the pollers of the business table and of an outbox table (child JVMs of their own), and the
 * check that compares the projection and the topic with what the source committed.
 */
@NullMarked
package dev.outbox.failuresuite.readmodel;

import org.jspecify.annotations.NullMarked;
