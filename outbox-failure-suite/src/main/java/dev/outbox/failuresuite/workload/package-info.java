/**
 * The service under test: writers publishing through the starter's outbox (and the dual-write
 * baseline), and a consumer applying events through the starter's inbox.
 */
@NullMarked
package dev.outbox.failuresuite.workload;

import org.jspecify.annotations.NullMarked;
