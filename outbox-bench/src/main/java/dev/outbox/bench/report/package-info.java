/**
 * What a benchmark run leaves behind: the printed table, the JSON document and the PNG plots.
 */
@NullMarked
package dev.outbox.bench.report;

import org.jspecify.annotations.NullMarked;
