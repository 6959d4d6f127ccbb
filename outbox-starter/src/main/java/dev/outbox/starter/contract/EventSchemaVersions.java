package dev.outbox.starter.contract;

import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The current schema of each event type, and the version the registry gave it at this startup:
 * what the write path stamps on each event ({@code schema_version}) and validates payloads
 * against ({@code outbox.contract.validate-payloads}).
 * <p>
 * Empty until the {@link EventSchemaRegistrar} has run, once every singleton of the context is
 * created and before the application takes traffic; it stays empty without an
 * {@link EventSchemaSource}. An event type it does not know has no version ({@code null}, as for
 * plain-SQL writers). The version is {@code null} too while the registry is disabled
 * ({@code outbox.contract.registry.enabled=false}), where the schemas are still known. Thread-safe.
 */
public final class EventSchemaVersions {

	private volatile Map<String, Current> current = Map.of();

	/**
	 * The version of an event type's current schema.
	 * @param eventType the event type
	 * @return the registered version, or {@code null} when the type has no registered schema
	 */
	public @Nullable Integer versionOf(String eventType) {
		Current schema = this.current.get(eventType);
		return (schema != null) ? schema.version() : null;
	}

	/**
	 * The current schema of an event type.
	 * @param eventType the event type
	 * @return its JSON Schema, or {@code null} when the {@link EventSchemaSource} has none
	 */
	public @Nullable JsonNode schemaOf(String eventType) {
		Current schema = this.current.get(eventType);
		return (schema != null) ? schema.schema() : null;
	}

	/**
	 * Replace what is known, as the registrar does after registration.
	 * @param current the current schema of each event type, with its registered version or
	 * {@code null} for none
	 */
	public void use(Map<String, Current> current) {
		this.current = Map.copyOf(current);
	}

	/**
	 * The current schema of one event type.
	 *
	 * @param version the version the registry holds it under, or {@code null} when not registered
	 * @param schema the JSON Schema
	 */
	public record Current(@Nullable Integer version, JsonNode schema) {

	}

}
