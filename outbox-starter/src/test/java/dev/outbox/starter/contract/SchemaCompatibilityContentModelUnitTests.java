package dev.outbox.starter.contract;

import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static dev.outbox.starter.contract.SchemaChanges.edited;
import static dev.outbox.starter.contract.SchemaChanges.parse;
import static dev.outbox.starter.contract.SchemaChanges.put;
import static dev.outbox.starter.contract.SchemaChanges.remove;
import static dev.outbox.starter.contract.SchemaChanges.set;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link SchemaCompatibility} on the shapes beyond plain properties: closed and open objects,
 * maps ({@code additionalProperties} with a schema), recursive definitions and the
 * {@code anyOf} nullable form.
 */
class SchemaCompatibilityContentModelUnitTests {

	private static final JsonNode OPEN = parse("""
			{ 'type': 'object', 'properties': { 'id': { 'type': 'string' }, 'note': { 'type': 'string' } },
			  'required': ['id'] }
			""");

	private static final JsonNode CLOSED = edited(OPEN, set("", "additionalProperties", "false"));

	@Test
	void propertyAddedToAClosedObjectBreaksForwardOnly() {
		JsonNode added = edited(CLOSED, put("", "coupon", "{'type': 'string'}"));

		assertThat(rules(added, CLOSED, CompatibilityMode.FORWARD)).containsExactly("coupon CLOSED_CONTENT_MODEL");
		assertThat(rules(added, CLOSED, CompatibilityMode.BACKWARD)).isEmpty();
	}

	@Test
	void closingAnObjectWhileRemovingAPropertyBreaksBackwardOnly() {
		JsonNode closedWithoutNote = edited(CLOSED, remove("", "note"));

		assertThat(rules(closedWithoutNote, OPEN, CompatibilityMode.BACKWARD))
			.containsExactly("note CLOSED_CONTENT_MODEL");
		assertThat(rules(closedWithoutNote, OPEN, CompatibilityMode.FORWARD)).isEmpty();
	}

	@Test
	void closingOrOpeningAnObjectWithTheSamePropertiesIsFullyCompatible() {
		assertThat(rules(CLOSED, OPEN, CompatibilityMode.FULL)).isEmpty();
		assertThat(rules(OPEN, CLOSED, CompatibilityMode.FULL)).isEmpty();
	}

	@Test
	void mapValuesAreComparedAndAMapWrittenToAClosedObjectIsRejected() {
		JsonNode strings = parse("{'type': 'object', 'properties': {'attributes': {'type': 'object',"
				+ " 'additionalProperties': {'type': 'string'}}}}");
		JsonNode integers = edited(strings, set("/properties/attributes", "additionalProperties", "{'type': 'integer'}"));
		JsonNode closed = edited(strings, set("/properties/attributes", "additionalProperties", "false"));

		assertThat(rules(integers, strings, CompatibilityMode.FULL)).containsExactly("attributes{} TYPE_CHANGED",
				"attributes{} TYPE_CHANGED");
		assertThat(rules(closed, strings, CompatibilityMode.BACKWARD)).containsExactly("attributes{} CLOSED_CONTENT_MODEL");
		assertThat(rules(closed, strings, CompatibilityMode.FORWARD)).isEmpty();
	}

	@Test
	void recursiveDefinitionIsComparedOnceAndItsChangeReportedAtTheFirstPath() {
		JsonNode tree = parse("""
				{ '$ref': '#/$defs/Category', '$defs': { 'Category': { 'type': 'object',
				  'properties': { 'name': { 'type': 'string' },
				    'children': { 'type': 'array', 'items': { '$ref': '#/$defs/Category' } } },
				  'required': ['name'] } } }
				""");
		JsonNode renamedType = edited(tree, set("/$defs/Category/properties/name", "type", "'integer'"));

		assertThat(rules(tree.deepCopy(), edited(tree, set("", "description", "'a copy'")), CompatibilityMode.FULL))
			.isEmpty();
		assertThat(rules(renamedType, tree, CompatibilityMode.FORWARD)).containsExactly("name TYPE_CHANGED");
	}

	@Test
	void nullableAnyOfFormIsReadAsTheNullableType() {
		JsonNode required = parse("""
				{ 'type': 'object', 'properties': { 'customer': { '$ref': '#/$defs/Customer' } },
				  '$defs': { 'Customer': { 'type': 'object', 'properties': { 'id': { 'type': 'string' } } } } }
				""");
		JsonNode nullable = edited(required,
				put("", "customer", "{'anyOf': [{'type': 'null'}, {'$ref': '#/$defs/Customer'}]}"));
		JsonNode nullableWithIntegerId = edited(nullable, set("/$defs/Customer/properties/id", "type", "'integer'"));

		assertThat(rules(nullable, required, CompatibilityMode.FORWARD)).containsExactly("customer MADE_NULLABLE");
		assertThat(rules(nullable, required, CompatibilityMode.BACKWARD)).isEmpty();
		assertThat(rules(nullableWithIntegerId, nullable, CompatibilityMode.BACKWARD))
			.containsExactly("customer.id TYPE_CHANGED");
	}

	@Test
	void untypedValueBecomingTypedNarrowsIt() {
		JsonNode any = parse("{'type': 'object', 'properties': {'extra': {}}}");
		JsonNode typed = edited(any, put("", "extra", "{'type': 'string'}"));

		assertThat(rules(typed, any, CompatibilityMode.FULL)).containsExactly("extra TYPE_NARROWED");
		assertThat(rules(any, typed, CompatibilityMode.FULL)).containsExactly("extra TYPE_WIDENED");
	}

	private static List<String> rules(JsonNode newSchema, JsonNode earlier, CompatibilityMode mode) {
		return SchemaCompatibility.check(newSchema, List.of(new RegisteredSchema(1, earlier)), mode).stream()
			.map((violation) -> violation.path() + " " + violation.rule())
			.toList();
	}

}
