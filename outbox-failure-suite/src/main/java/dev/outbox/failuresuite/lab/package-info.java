/**
 * The pipeline lab's model: a {@link dev.outbox.failuresuite.lab.Pipeline} composed from six
 * slots, a {@link dev.outbox.failuresuite.lab.Workload} and a
 * {@link dev.outbox.failuresuite.lab.Fault}, put together as a
 * {@link dev.outbox.failuresuite.lab.Cell}. Combinations that make no sense are refused when
 * built, with an error naming the slots and the fix.
 */
@NullMarked
package dev.outbox.failuresuite.lab;

import org.jspecify.annotations.NullMarked;
