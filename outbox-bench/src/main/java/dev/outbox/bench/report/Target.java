package dev.outbox.bench.report;

/**
 * One target of the report, with the figure that decides it.
 *
 * @param name what is required
 * @param value the measured figure, as shown
 * @param met whether the figure meets it
 */
record Target(String name, String value, boolean met) {
}
