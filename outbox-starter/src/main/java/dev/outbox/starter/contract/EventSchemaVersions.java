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
 * <p>
 * One {@linkplain #awaitingRegistration() awaiting registration}, as the starter configures it,
 * refuses to answer until the registrar has run: an event published while the context starts
 * (from a bean's constructor or init method) would otherwise go out without schema version and
 * unvalidated, unnoticed. It fails at the call site instead, and the business transaction rolls
 * back.
 */
public final class EventSchemaVersions {

	private volatile @Nullable Map<String, Current> current;

	/**
	 * Versions known from the start: empty until {@link #use} is called.
	 */
	public EventSchemaVersions() {
		this(Map.of());
	}

	private EventSchemaVersions(@Nullable Map<String, Current> current) {
		this.current = current;
	}

	/**
	 * Versions that refuse to answer until the registrar has called {@link #use}.
	 * @return the versions
	 */
	public static EventSchemaVersions awaitingRegistration() {
		return new EventSchemaVersions(null);
	}

	/**
	 * The version of an event type's current schema.
	 * @param eventType the event type
	 * @return the registered version, or {@code null} when the type has no registered schema
	 * @throws IllegalStateException while awaiting registration
	 */
	public @Nullable Integer versionOf(String eventType) {
		Current schema = current(eventType).get(eventType);
		return (schema != null) ? schema.version() : null;
	}

	/**
	 * The current schema of an event type.
	 * @param eventType the event type
	 * @return its JSON Schema, or {@code null} when the {@link EventSchemaSource} has none
	 * @throws IllegalStateException while awaiting registration
	 */
	public @Nullable JsonNode schemaOf(String eventType) {
		Current schema = current(eventType).get(eventType);
		return (schema != null) ? schema.schema() : null;
	}

	private Map<String, Current> current(String eventType) {
		Map<String, Current> known = this.current;
		if (known == null) {
			throw new IllegalStateException("Event type '" + eventType + "' was published before the event schemas "
					+ "were registered: a bean published it while the application context was starting (from a "
					+ "constructor, @PostConstruct or afterPropertiesSet), before every singleton exists, and the "
					+ "starter registers the schemas (and learns their versions) once they do. It would have gone "
					+ "out without schema version. Publish from an ApplicationRunner, an "
					+ "@EventListener(ApplicationReadyEvent.class) or a SmartLifecycle instead");
		}
		return known;
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
