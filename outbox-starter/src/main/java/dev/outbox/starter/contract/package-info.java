/**
 * The event contract: the compatibility rules a new version of an event type's JSON Schema
 * must satisfy against the versions registered before it.
 * <p>
 * {@link dev.outbox.starter.contract.SchemaCompatibility} is the one entry point: a new
 * schema, the registered ones and a {@link dev.outbox.starter.contract.CompatibilityMode}
 * in, a list of {@link dev.outbox.starter.contract.CompatibilityViolation}s out. It is pure
 * logic (no database, no Spring), so the startup registration and the CI test helper can
 * share it.
 */
@NullMarked
package dev.outbox.starter.contract;

import org.jspecify.annotations.NullMarked;
