package dev.outbox.starter.contract;

import tools.jackson.databind.JsonNode;

/**
 * A schema already registered for an event type, with its version.
 *
 * @param version the registered version, counting from 1
 * @param schema the JSON Schema (draft 2020-12) registered under it
 */
public record RegisteredSchema(int version, JsonNode schema) {

}
