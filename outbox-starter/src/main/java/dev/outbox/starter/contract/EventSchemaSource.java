package dev.outbox.starter.contract;

import java.util.SortedMap;
import tools.jackson.databind.JsonNode;

/**
 * The current JSON Schema (draft 2020-12) of every event type the application publishes, as
 * the schema registry registers them at startup: derived from the payload types of the
 * {@link EventTypeCatalog}, or read from schema files the team commits.
 */
@FunctionalInterface
public interface EventSchemaSource {

	/**
	 * The current schema of each event type.
	 * @return event type to JSON Schema, ordered by event type
	 */
	SortedMap<String, JsonNode> schemas();

}
