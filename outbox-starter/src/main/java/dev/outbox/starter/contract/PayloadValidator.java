package dev.outbox.starter.contract;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Validates a payload against its event type's JSON Schema, for
 * {@code outbox.contract.validate-payloads}: the subset the compatibility rules accept (see
 * {@code SchemaDocument}), read as JSON Schema draft 2020-12 reads it.
 * <ul>
 * <li>{@code type}, a name or an array of names; {@code integer} accepts a number without a
 * fractional part;</li>
 * <li>{@code properties}, {@code required}, {@code additionalProperties} ({@code false}: no
 * undeclared property; a schema: every undeclared property matches it);</li>
 * <li>{@code items} (each element), {@code enum} (one of the values, by JSON equality);</li>
 * <li>{@code $ref} to {@code #} or {@code #/$defs/Name}, {@code anyOf} (at least one branch);</li>
 * <li>{@code format} and the annotations are not asserted, as in draft 2020-12 by default.</li>
 * </ul>
 * The first error found is reported with a property path like those of
 * {@link CompatibilityViolation#path()} ({@code lines[2].sku}). Stateless and thread-safe.
 */
public final class PayloadValidator {

	private static final int MAX_REFERENCE_HOPS = 64;

	private PayloadValidator() {
	}

	/**
	 * The first way a payload fails its schema.
	 * @param schema the event type's JSON Schema
	 * @param payload the payload, as a JSON tree
	 * @return {@code null} when the payload matches, else the property path and what is wrong
	 */
	public static @Nullable String firstError(JsonNode schema, JsonNode payload) {
		return validate(schema, schema, payload, "");
	}

	private static @Nullable String validate(JsonNode root, JsonNode schema, JsonNode value, String path) {
		if (schema.isBoolean()) {
			return schema.asBoolean() ? null : at(path) + "is not allowed by the schema";
		}
		JsonNode target = resolve(root, schema);
		JsonNode anyOf = target.get("anyOf");
		if (anyOf != null && anyOf.isArray()) {
			// The error of a branch other than {"type": "null"} says more about a non-null value.
			String error = null;
			String nullBranchError = null;
			for (JsonNode branch : anyOf.values()) {
				String branchError = validate(root, branch, value, path);
				if (branchError == null) {
					return null;
				}
				if (isNullType(branch)) {
					nullBranchError = (nullBranchError != null) ? nullBranchError : branchError;
				}
				else {
					error = (error != null) ? error : branchError;
				}
			}
			return (error != null) ? error : nullBranchError;
		}
		JsonNode type = target.get("type");
		if (type != null && !typeMatches(type, value)) {
			return at(path) + "expected " + typeNames(type) + ", found " + describe(value);
		}
		JsonNode enumValues = target.get("enum");
		if (enumValues != null && enumValues.isArray() && !contains(enumValues, value)) {
			return at(path) + "value " + abbreviate(value.toString()) + " is not one of " + abbreviate(
					enumValues.toString());
		}
		if (value.isObject()) {
			return validateObject(root, target, value, path);
		}
		if (value.isArray() && target.has("items")) {
			int index = 0;
			for (JsonNode element : value.values()) {
				String error = validate(root, target.get("items"), element, path + "[" + index + "]");
				if (error != null) {
					return error;
				}
				index++;
			}
		}
		return null;
	}

	private static @Nullable String validateObject(JsonNode root, JsonNode schema, JsonNode value, String path) {
		JsonNode required = schema.get("required");
		if (required != null && required.isArray()) {
			for (JsonNode name : required.values()) {
				if (!value.has(name.asString())) {
					return at(join(path, name.asString())) + "required property is missing";
				}
			}
		}
		JsonNode properties = schema.get("properties");
		JsonNode additional = schema.get("additionalProperties");
		List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(value.properties());
		for (Map.Entry<String, JsonNode> field : fields) {
			String fieldPath = join(path, field.getKey());
			JsonNode declared = (properties != null) ? properties.get(field.getKey()) : null;
			JsonNode fieldSchema = (declared != null) ? declared : additional;
			if (fieldSchema == null) {
				continue;
			}
			if (declared == null && fieldSchema.isBoolean() && !fieldSchema.asBoolean()) {
				return at(fieldPath) + "property is not declared by the schema, which allows no other";
			}
			String error = validate(root, fieldSchema, field.getValue(),
					(declared != null) ? fieldPath : join(path, "{" + field.getKey() + "}").replace(".{", "{"));
			if (error != null) {
				return error;
			}
		}
		return null;
	}

	private static JsonNode resolve(JsonNode root, JsonNode schema) {
		JsonNode current = schema;
		for (int hops = 0; current.isObject() && current.has("$ref"); hops++) {
			if (hops > MAX_REFERENCE_HOPS) {
				throw new IllegalArgumentException("'$ref' " + schema.get("$ref") + " never reaches a schema");
			}
			String ref = current.get("$ref").asString();
			if ("#".equals(ref)) {
				current = root;
			}
			else if (ref.startsWith("#/$defs/") && root.has("$defs")
					&& root.get("$defs").has(ref.substring("#/$defs/".length()))) {
				current = root.get("$defs").get(ref.substring("#/$defs/".length()));
			}
			else {
				throw new IllegalArgumentException("'$ref' \"" + ref + "\" names no definition under the root's "
						+ "'$defs'");
			}
		}
		return current;
	}

	private static boolean typeMatches(JsonNode type, JsonNode value) {
		if (type.isArray()) {
			for (JsonNode name : type.values()) {
				if (typeMatches(name.asString(), value)) {
					return true;
				}
			}
			return false;
		}
		return typeMatches(type.asString(), value);
	}

	private static boolean typeMatches(String type, JsonNode value) {
		return switch (type) {
			case "null" -> value.isNull();
			case "boolean" -> value.isBoolean();
			case "object" -> value.isObject();
			case "array" -> value.isArray();
			case "string" -> value.isString();
			case "number" -> value.isNumber();
			case "integer" -> value.isIntegralNumber()
					|| (value.isNumber() && value.decimalValue().stripTrailingZeros().scale() <= 0);
			default -> false;
		};
	}

	private static boolean contains(JsonNode values, JsonNode value) {
		for (JsonNode candidate : values.values()) {
			if (candidate.equals(value) || (candidate.isNumber() && value.isNumber()
					&& candidate.decimalValue().compareTo(value.decimalValue()) == 0)) {
				return true;
			}
		}
		return false;
	}

	private static boolean isNullType(JsonNode schema) {
		return schema.isObject() && schema.size() == 1 && "null".equals(schema.path("type").asString(""));
	}

	private static String typeNames(JsonNode type) {
		if (!type.isArray()) {
			return type.asString();
		}
		List<String> names = new ArrayList<>();
		type.values().forEach((name) -> names.add(name.asString()));
		return String.join(" or ", names);
	}

	private static String describe(JsonNode value) {
		if (value.isNull()) {
			return "null";
		}
		String kind = value.isObject() ? "object" : value.isArray() ? "array" : value.isString() ? "string"
				: value.isBoolean() ? "boolean" : value.isIntegralNumber() ? "integer" : "number";
		return kind + ((value.isContainer()) ? "" : " " + abbreviate(value.toString()));
	}

	private static String join(String path, String name) {
		return path.isEmpty() ? name : path + "." + name;
	}

	private static String at(String path) {
		return path.isEmpty() ? "the payload: " : "property '" + path + "': ";
	}

	private static String abbreviate(String text) {
		return (text.length() <= 80) ? text : text.substring(0, 77) + "...";
	}

}
