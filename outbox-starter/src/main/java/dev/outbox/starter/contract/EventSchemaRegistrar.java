package dev.outbox.starter.contract;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Registers the application's event schemas at startup: once every singleton of the context is
 * created (so an {@link EventSchemaSource} built from the beans knows every event type), and
 * before the context's lifecycle starts, which is where the web server, Kafka listeners and
 * schedulers begin; so before the application takes traffic. A breaking change throws
 * {@link IncompatibleEventSchemaException} from here, which fails the context's refresh.
 * <p>
 * Without an {@link EventSchemaSource} bean nothing is registered and no event carries a schema
 * version. Without a registry ({@code outbox.contract.registry.enabled=false}) nothing is
 * written either, and the source's schemas are still used to validate payloads when
 * {@code outbox.contract.validate-payloads} is on.
 */
public class EventSchemaRegistrar implements SmartInitializingSingleton {

	private final ObjectProvider<EventSchemaSource> source;

	private final @Nullable EventSchemaRegistry registry;

	private final EventSchemaVersions versions;

	/**
	 * Create a registrar.
	 * @param source the application's schema source, if any
	 * @param registry the registry, or {@code null} when it is disabled
	 * @param versions where the write path finds the versions registered
	 */
	public EventSchemaRegistrar(ObjectProvider<EventSchemaSource> source, @Nullable EventSchemaRegistry registry,
			EventSchemaVersions versions) {
		this.source = source;
		this.registry = registry;
		this.versions = versions;
	}

	@Override
	public void afterSingletonsInstantiated() {
		register();
	}

	/**
	 * Register the source's schemas, and hand the result to the {@link EventSchemaVersions}.
	 * @throws IncompatibleEventSchemaException if a schema breaks its type's mode
	 */
	public void register() {
		EventSchemaSource schemaSource = this.source.getIfAvailable();
		if (schemaSource == null) {
			this.versions.use(Map.of());
			return;
		}
		SortedMap<String, JsonNode> schemas = schemaSource.schemas();
		if (this.registry != null) {
			this.versions.use(this.registry.register(schemas));
			return;
		}
		Map<String, EventSchemaVersions.Current> unregistered = new LinkedHashMap<>();
		schemas.forEach((eventType, schema) -> unregistered.put(eventType, new EventSchemaVersions.Current(null,
				schema)));
		this.versions.use(unregistered);
	}

}
