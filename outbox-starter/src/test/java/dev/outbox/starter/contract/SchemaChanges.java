package dev.outbox.starter.contract;

import java.util.function.Consumer;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Test schemas: parsing, and edits made on a copy of a schema at a JSON pointer.
 */
final class SchemaChanges {

	private static final JsonMapper json = JsonMapper.builder().build();

	private SchemaChanges() {
	}

	static ObjectNode parse(String text) {
		return (ObjectNode) json.readTree(text.replace('\'', '"'));
	}

	static JsonNode edited(JsonNode schema, Consumer<ObjectNode> edit) {
		ObjectNode copy = (ObjectNode) schema.deepCopy();
		edit.accept(copy);
		return copy;
	}

	static Consumer<ObjectNode> put(String objectPointer, String property, String schema) {
		return (root) -> object(root, objectPointer).withObject("/properties").set(property, parse(schema));
	}

	static Consumer<ObjectNode> set(String objectPointer, String keyword, String value) {
		return (root) -> object(root, objectPointer).set(keyword, json.readTree(value.replace('\'', '"')));
	}

	static Consumer<ObjectNode> remove(String objectPointer, String property) {
		return (root) -> {
			object(root, objectPointer).withObject("/properties").remove(property);
			unrequire(objectPointer, property).accept(root);
		};
	}

	static Consumer<ObjectNode> require(String objectPointer, String property) {
		return (root) -> {
			ObjectNode object = object(root, objectPointer);
			(object.has("required") ? (ArrayNode) object.get("required") : object.putArray("required")).add(property);
		};
	}

	static Consumer<ObjectNode> unrequire(String objectPointer, String property) {
		return (root) -> {
			ArrayNode required = (ArrayNode) object(root, objectPointer).get("required");
			for (int i = (required != null) ? required.size() - 1 : -1; i >= 0; i--) {
				if (required.get(i).asString().equals(property)) {
					required.remove(i);
				}
			}
		};
	}

	private static ObjectNode object(ObjectNode root, String pointer) {
		return pointer.isEmpty() ? root : (ObjectNode) root.at(pointer);
	}

}
