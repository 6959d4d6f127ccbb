package dev.outbox.starter.contract;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link PayloadValidator}: each keyword of the supported subset accepts what it should and
 * reports the first mismatch with its property path.
 */
class PayloadValidatorUnitTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final String ORDER = """
			{"$schema": "https://json-schema.org/draft/2020-12/schema",
			 "type": "object",
			 "properties": {
			   "orderId": {"type": "string", "format": "uuid", "description": "formats are not asserted"},
			   "amount": {"type": "integer"},
			   "price": {"type": "number"},
			   "status": {"enum": ["PLACED", "PAID"]},
			   "note": {"anyOf": [{"type": "string"}, {"type": "null"}]},
			   "lines": {"type": "array", "items": {"$ref": "#/$defs/Line"}},
			   "attributes": {"type": "object", "additionalProperties": {"type": "string"}},
			   "parent": {"anyOf": [{"$ref": "#"}, {"type": "null"}]}
			 },
			 "required": ["orderId", "amount"],
			 "$defs": {
			   "Line": {"type": "object", "properties": {"sku": {"type": "string"}, "qty": {"type": ["integer"]}},
			            "required": ["sku"], "additionalProperties": false}
			 }}""";

	@Test
	void payloadThatMatchesEveryKeywordHasNoError() {
		assertThat(error(ORDER, """
				{"orderId": "not-a-uuid", "amount": 3, "price": 2.5, "status": "PAID", "note": null,
				 "lines": [{"sku": "a", "qty": 2}], "attributes": {"colour": "red"},
				 "parent": {"orderId": "p", "amount": 1.0}, "unknown": [1, 2]}""")).isNull();
	}

	@Test
	void missingRequiredPropertyIsNamed() {
		assertThat(error(ORDER, "{\"orderId\": \"o\"}")).isEqualTo("property 'amount': required property is missing");
	}

	@Test
	void wrongTypeNamesThePropertyTheExpectedAndTheFoundType() {
		assertThat(error(ORDER, "{\"orderId\": 7, \"amount\": 3}"))
			.isEqualTo("property 'orderId': expected string, found integer 7");
		assertThat(error(ORDER, "{\"orderId\": \"o\", \"amount\": 3.5}"))
			.isEqualTo("property 'amount': expected integer, found number 3.5");
		assertThat(error(ORDER, "[]")).isEqualTo("the payload: expected object, found array");
	}

	@Test
	void valueOutsideTheEnumIsRejected() {
		assertThat(error(ORDER, "{\"orderId\": \"o\", \"amount\": 3, \"status\": \"LOST\"}"))
			.isEqualTo("property 'status': value \"LOST\" is not one of [\"PLACED\",\"PAID\"]");
	}

	@Test
	void nullableAnyOfReportsTheNonNullBranchesError() {
		assertThat(error(ORDER, "{\"orderId\": \"o\", \"amount\": 3, \"note\": 5}"))
			.isEqualTo("property 'note': expected string, found integer 5");
		assertThat(error(ORDER, "{\"orderId\": \"o\", \"amount\": null}"))
			.isEqualTo("property 'amount': expected integer, found null");
	}

	@Test
	void arrayElementsAndReferencedDefinitionsAreCheckedWithTheirIndex() {
		assertThat(error(ORDER, "{\"orderId\": \"o\", \"amount\": 3, \"lines\": [{\"sku\": \"a\"}, {\"qty\": 1}]}"))
			.isEqualTo("property 'lines[1].sku': required property is missing");
		assertThat(error(ORDER, "{\"orderId\": \"o\", \"amount\": 3, \"lines\": [{\"sku\": \"a\", \"colour\": 1}]}"))
			.isEqualTo("property 'lines[0].colour': property is not declared by the schema, which allows no other");
	}

	@Test
	void mapValuesAndRecursiveReferencesAreChecked() {
		assertThat(error(ORDER, "{\"orderId\": \"o\", \"amount\": 3, \"attributes\": {\"size\": 4}}"))
			.isEqualTo("property 'attributes{size}': expected string, found integer 4");
		assertThat(error(ORDER, "{\"orderId\": \"o\", \"amount\": 3, \"parent\": {\"orderId\": \"p\"}}"))
			.isEqualTo("property 'parent.amount': required property is missing");
	}

	@Test
	void booleanSchemasAcceptEverythingOrNothing() {
		assertThat(error("true", "{\"a\": 1}")).isNull();
		assertThat(error("false", "1")).isEqualTo("the payload: is not allowed by the schema");
	}

	private static String error(String schema, String payload) {
		JsonNode schemaNode = json.readTree(schema);
		return PayloadValidator.firstError(schemaNode, json.readTree(payload));
	}

}
