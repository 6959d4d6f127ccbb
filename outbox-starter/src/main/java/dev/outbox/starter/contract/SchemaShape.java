package dev.outbox.starter.contract;

import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * One schema node with its {@code $ref} and nullable {@code anyOf} resolved: only what the
 * compatibility rules read.
 *
 * @param types the JSON types a value may have, {@code "null"} included when nullable;
 * {@code null} when any type is allowed (no {@code type} keyword)
 * @param properties the declared properties of an object, unresolved
 * @param required the names an object must carry
 * @param items the schema of an array's elements ({@code {}} when absent)
 * @param enumValues the allowed values, or {@code null} when not an enum
 * @param format the {@code format}, or {@code null}
 * @param additionalProperties {@code null} for an open object (absent, {@code true} or
 * {@code {}}), a {@code false} node for a closed one, or the schema of the undeclared
 * properties' values (a map)
 */
record SchemaShape(@Nullable Set<String> types, Map<String, JsonNode> properties, Set<String> required,
		JsonNode items, @Nullable Set<JsonNode> enumValues, @Nullable String format,
		@Nullable JsonNode additionalProperties) {

	boolean allows(String type) {
		return this.types == null || this.types.contains(type)
				|| ("integer".equals(type) && this.types.contains("number"));
	}

	boolean isClosed() {
		return this.additionalProperties != null && this.additionalProperties.isBoolean();
	}

	@Nullable JsonNode mapValues() {
		return (this.additionalProperties != null && this.additionalProperties.isObject()) ? this.additionalProperties
				: null;
	}

}
