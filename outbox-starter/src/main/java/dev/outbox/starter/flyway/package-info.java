/**
 * Creates the starter's tables (the outbox table and, unless the inbox is off, the inbox
 * table) at startup with a Flyway instance of its own, apart from the application's
 * migrations.
 */
@NullMarked
package dev.outbox.starter.flyway;

import org.jspecify.annotations.NullMarked;
