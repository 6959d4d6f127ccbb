package dev.outbox.starter.contract;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * One JSON Schema document, checked on construction to use only the subset the compatibility
 * rules understand, and able to resolve any node of it into a {@link SchemaShape}.
 * <p>
 * The subset is what a generator from Java types writes: {@code type} (a name or an array of
 * names, {@code "null"} for nullable), {@code properties}, {@code required}, {@code items} (one
 * schema), {@code enum}, {@code format}, {@code additionalProperties} (a boolean or a schema),
 * {@code $defs} with {@code $ref} to {@code #/$defs/...} or {@code #}, and
 * {@code anyOf: [X, {"type": "null"}]} as the nullable form of X. Annotations ({@code title},
 * {@code description}, {@code default}, {@code examples}, {@code deprecated},
 * {@code readOnly}, {@code writeOnly}, {@code $comment}; {@code $schema} and {@code $id} at the
 * root) are ignored. Any other keyword ({@code oneOf}, {@code const}, {@code minimum},
 * {@code pattern}, ...) is rejected with an {@link IllegalArgumentException} naming it and
 * where it is, rather than passed silently: the rules could not say whether changing it
 * breaks a consumer.
 */
final class SchemaDocument {

	static final String DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema";

	private static final Set<String> STRUCTURE = Set.of("type", "properties", "required", "items", "enum", "format",
			"additionalProperties", "$ref", "$defs", "anyOf");

	private static final Set<String> ANNOTATIONS = Set.of("title", "description", "default", "examples", "deprecated",
			"readOnly", "writeOnly", "$comment");

	private static final Set<String> ROOT_ONLY = Set.of("$schema", "$id");

	private static final Set<String> TYPES = Set.of("null", "boolean", "object", "array", "number", "integer",
			"string");

	private static final JsonNode ANY = JsonNodeFactory.instance.objectNode();

	private final JsonNode root;

	private final String label;

	private final Map<JsonNode, SchemaShape> shapes = new IdentityHashMap<>();

	SchemaDocument(JsonNode root, String label) {
		this.root = root;
		this.label = label;
		if (!root.isObject()) {
			throw invalid("", "the schema must be a JSON object");
		}
		JsonNode dialect = root.get("$schema");
		if (dialect != null && !DRAFT_2020_12.equals(dialect.asString(""))) {
			throw invalid("/$schema", "'$schema' is " + dialect + " but only draft 2020-12 (" + DRAFT_2020_12
					+ ") is supported");
		}
		check(root, "", true);
	}

	String label() {
		return this.label;
	}

	JsonNode root() {
		return this.root;
	}

	/**
	 * The shape of a node of this document, after following {@code $ref} and unwrapping a
	 * nullable {@code anyOf}.
	 */
	SchemaShape shape(JsonNode node) {
		SchemaShape shape = this.shapes.get(node);
		if (shape == null) {
			shape = resolveShape(node);
			this.shapes.put(node, shape);
		}
		return shape;
	}

	/** The node a chain of {@code $ref}s ends at (the node itself without one). */
	JsonNode target(JsonNode node) {
		JsonNode current = node;
		for (int hops = 0; current.has("$ref"); hops++) {
			if (hops > 64) {
				throw invalid("", "'$ref' " + node.get("$ref") + " never reaches a schema (a cycle of references)");
			}
			current = definition(current.get("$ref").asString(), "");
		}
		return current;
	}

	private SchemaShape resolveShape(JsonNode node) {
		if (node.isBoolean()) {
			return shape(ANY);
		}
		JsonNode target = target(node);
		JsonNode anyOf = target.get("anyOf");
		if (anyOf != null) {
			SchemaShape inner = shape(nonNullBranch(anyOf));
			if (inner.types() == null) {
				return inner;
			}
			Set<String> types = new LinkedHashSet<>(inner.types());
			types.add("null");
			return new SchemaShape(types, inner.properties(), inner.required(), inner.items(), inner.enumValues(),
					inner.format(), inner.additionalProperties());
		}
		Map<String, JsonNode> properties = new LinkedHashMap<>();
		JsonNode declared = target.get("properties");
		if (declared != null) {
			declared.properties().forEach((entry) -> properties.put(entry.getKey(), entry.getValue()));
		}
		Set<String> required = new LinkedHashSet<>();
		JsonNode requiredNode = target.get("required");
		if (requiredNode != null) {
			requiredNode.values().forEach((name) -> required.add(name.asString()));
		}
		Set<JsonNode> enumValues = null;
		if (target.has("enum")) {
			enumValues = new LinkedHashSet<>();
			for (JsonNode value : target.get("enum").values()) {
				enumValues.add(value);
			}
		}
		JsonNode items = target.has("items") ? target.get("items") : ANY;
		JsonNode format = target.get("format");
		return new SchemaShape(types(target.get("type")), properties, required, items, enumValues,
				(format != null) ? format.asString() : null, additionalProperties(target.get("additionalProperties")));
	}

	private static @Nullable Set<String> types(@Nullable JsonNode type) {
		if (type == null) {
			return null;
		}
		Set<String> types = new LinkedHashSet<>();
		if (type.isArray()) {
			type.values().forEach((name) -> types.add(name.asString()));
		}
		else {
			types.add(type.asString());
		}
		return types;
	}

	private static @Nullable JsonNode additionalProperties(@Nullable JsonNode node) {
		if (node == null || (node.isBoolean() && node.booleanValue()) || (node.isObject() && node.isEmpty())) {
			return null;
		}
		return node;
	}

	private static JsonNode nonNullBranch(JsonNode anyOf) {
		JsonNode first = anyOf.get(0);
		return isNullSchema(first) ? anyOf.get(1) : first;
	}

	private static boolean isNullSchema(JsonNode node) {
		return node.isObject() && node.size() == 1 && node.has("type") && "null".equals(node.get("type").asString(""));
	}

	private JsonNode definition(String ref, String pointer) {
		if ("#".equals(ref)) {
			return this.root;
		}
		if (!ref.startsWith("#/$defs/") || ref.indexOf('/', "#/$defs/".length()) >= 0) {
			throw invalid(pointer, "'$ref' \"" + ref + "\" is not supported: only local definitions, \"#/$defs/Name\", "
					+ "or \"#\" are resolved");
		}
		String name = ref.substring("#/$defs/".length()).replace("~1", "/").replace("~0", "~");
		JsonNode defs = this.root.get("$defs");
		JsonNode definition = (defs != null) ? defs.get(name) : null;
		if (definition == null) {
			throw invalid(pointer, "'$ref' \"" + ref + "\" names no definition under the root's '$defs'");
		}
		return definition;
	}

	private void check(JsonNode node, String pointer, boolean atRoot) {
		if (node.isBoolean()) {
			if (!node.booleanValue()) {
				throw invalid(pointer, "the schema 'false' (no value allowed) is supported only as "
						+ "'additionalProperties: false'");
			}
			return;
		}
		if (!node.isObject()) {
			throw invalid(pointer, "a schema must be a JSON object or true, not " + node);
		}
		for (String keyword : node.propertyNames()) {
			boolean known = STRUCTURE.contains(keyword) || ANNOTATIONS.contains(keyword)
					|| (atRoot && ROOT_ONLY.contains(keyword));
			if (!known) {
				throw invalid(pointer, "keyword '" + keyword + "' is not supported by the compatibility rules "
						+ "(supported: " + STRUCTURE + "; ignored annotations: " + ANNOTATIONS + ", and " + ROOT_ONLY
						+ " at the root); remove it, or express the constraint with the supported keywords");
			}
		}
		if (node.has("$defs")) {
			if (!atRoot) {
				throw invalid(pointer, "'$defs' is supported only at the root of the schema");
			}
			node.get("$defs").properties()
				.forEach((entry) -> check(entry.getValue(), "/$defs/" + escape(entry.getKey()), false));
		}
		if (node.has("$ref")) {
			checkRef(node, pointer);
			return;
		}
		if (node.has("anyOf")) {
			checkNullableAnyOf(node, pointer);
			return;
		}
		checkType(node.get("type"), pointer);
		checkObjectKeywords(node, pointer);
		if (node.has("items")) {
			check(node.get("items"), pointer + "/items", false);
		}
		if (node.has("enum") && !node.get("enum").isArray()) {
			throw invalid(pointer + "/enum", "'enum' must be an array of values");
		}
		if (node.has("format") && !node.get("format").isString()) {
			throw invalid(pointer + "/format", "'format' must be a string");
		}
	}

	private void checkRef(JsonNode node, String pointer) {
		if (!node.get("$ref").isString()) {
			throw invalid(pointer + "/$ref", "'$ref' must be a string");
		}
		for (String keyword : node.propertyNames()) {
			if (STRUCTURE.contains(keyword) && !"$ref".equals(keyword) && !(pointer.isEmpty() && "$defs".equals(keyword))) {
				throw invalid(pointer, "'$ref' next to '" + keyword + "' is not supported: put the constraint in "
						+ "the referenced definition");
			}
		}
		definition(node.get("$ref").asString(), pointer);
	}

	private void checkNullableAnyOf(JsonNode node, String pointer) {
		JsonNode anyOf = node.get("anyOf");
		boolean nullableForm = anyOf.isArray() && anyOf.size() == 2
				&& (isNullSchema(anyOf.get(0)) != isNullSchema(anyOf.get(1)));
		if (!nullableForm) {
			throw invalid(pointer + "/anyOf", "'anyOf' is supported only as the nullable form "
					+ "[<schema>, {\"type\": \"null\"}]");
		}
		for (String keyword : node.propertyNames()) {
			if (STRUCTURE.contains(keyword) && !"anyOf".equals(keyword) && !(pointer.isEmpty() && "$defs".equals(keyword))) {
				throw invalid(pointer, "'anyOf' next to '" + keyword + "' is not supported: move '" + keyword
						+ "' into the non-null branch");
			}
		}
		int branch = isNullSchema(anyOf.get(0)) ? 1 : 0;
		check(anyOf.get(branch), pointer + "/anyOf/" + branch, false);
	}

	private void checkType(@Nullable JsonNode type, String pointer) {
		if (type == null) {
			return;
		}
		List<JsonNode> names = new ArrayList<>();
		if (type.isArray()) {
			type.values().forEach(names::add);
		}
		else {
			names.add(type);
		}
		for (JsonNode name : names) {
			if (!name.isString() || !TYPES.contains(name.asString())) {
				throw invalid(pointer + "/type", "'type' " + name + " is not a JSON Schema type (one of " + TYPES + ")");
			}
		}
	}

	private void checkObjectKeywords(JsonNode node, String pointer) {
		JsonNode properties = node.get("properties");
		if (properties != null) {
			if (!properties.isObject()) {
				throw invalid(pointer + "/properties", "'properties' must be an object");
			}
			properties.properties()
				.forEach((entry) -> check(entry.getValue(), pointer + "/properties/" + escape(entry.getKey()), false));
		}
		JsonNode required = node.get("required");
		if (required != null) {
			if (!required.isArray() || required.values().stream().anyMatch((name) -> !name.isString())) {
				throw invalid(pointer + "/required", "'required' must be an array of property names");
			}
		}
		JsonNode additional = node.get("additionalProperties");
		if (additional != null && !additional.isBoolean()) {
			check(additional, pointer + "/additionalProperties", false);
		}
	}

	private static String escape(String name) {
		return name.replace("~", "~0").replace("/", "~1");
	}

	private IllegalArgumentException invalid(String pointer, String problem) {
		return new IllegalArgumentException("Event contract schema " + this.label + ", at JSON pointer '" + pointer
				+ "': " + problem);
	}

}
