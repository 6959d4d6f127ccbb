package dev.outbox.starter.contract;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

import static dev.outbox.starter.contract.SchemaChanges.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link SchemaCompatibility} refuses a schema outside the supported subset with an error
 * naming the schema, the JSON pointer and the keyword, rather than passing what it cannot
 * judge; annotations are ignored.
 */
class SchemaCompatibilitySubsetUnitTests {

	@ParameterizedTest
	@CsvSource(delimiter = '|', quoteCharacter = '"', value = {
			"{'type': 'object', 'properties': {'x': {'oneOf': [{'type': 'string'}]}}}|/properties/x|keyword 'oneOf' is not supported",
			"{'type': 'object', 'properties': {'x': {'type': 'integer', 'minimum': 0}}}|/properties/x|keyword 'minimum' is not supported",
			"{'type': 'array', 'items': {'const': 1}}|/items|keyword 'const' is not supported",
			"{'type': 'object', 'properties': {'x': {'$ref': 'other.json#/$defs/X'}}}|/properties/x|only local definitions",
			"{'type': 'object', 'properties': {'x': {'$ref': '#/$defs/Missing'}}}|/properties/x|names no definition",
			"{'properties': {'x': {'$ref': '#/$defs/X', 'type': 'object'}}, '$defs': {'X': {}}}|/properties/x|'$ref' next to 'type'",
			"{'properties': {'x': {'anyOf': [{'type': 'string'}, {'type': 'integer'}]}}}|/properties/x/anyOf|only as the nullable form",
			"{'type': 'text'}|/type|is not a JSON Schema type",
			"{'$schema': 'http://json-schema.org/draft-07/schema#'}|/$schema|only draft 2020-12",
			"{'properties': {'x': {'$id': 'urn:x'}}}|/properties/x|keyword '$id' is not supported",
			"{'$defs': {'Bad': {'pattern': 'a+'}}}|/$defs/Bad|keyword 'pattern' is not supported",
			"{'type': 'object', 'properties': {'x': false}}|/properties/x|the schema 'false'" })
	void unsupportedSchemaIsRefusedNamingSchemaPointerAndKeyword(String schema, String pointer, String problem) {
		JsonNode unsupported = parse(schema);
		JsonNode plain = parse("{'type': 'object'}");

		assertThatIllegalArgumentException()
			.isThrownBy(() -> SchemaCompatibility.check(unsupported, List.of(), CompatibilityMode.NONE))
			.withMessageStartingWith("Event contract schema (new), at JSON pointer '" + pointer + "': ")
			.withMessageContaining(problem);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> SchemaCompatibility.check(plain, List.of(new RegisteredSchema(4, unsupported)),
					CompatibilityMode.FORWARD))
			.withMessageStartingWith("Event contract schema version 4, at JSON pointer '" + pointer + "': ");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', quoteCharacter = '"', value = { "title|'Order'", "description|'placed'", "default|0", "examples|[1]",
			"deprecated|true", "readOnly|false", "writeOnly|false", "$comment|'x'" })
	void annotationsAreIgnored(String keyword, String value) {
		JsonNode plain = parse("{'type': 'object', 'properties': {'x': {'type': 'integer'}}}");
		JsonNode annotated = parse("{'type': 'object', 'properties': {'x': {'type': 'integer', '" + keyword + "': "
				+ value + "}}}");

		assertThat(SchemaCompatibility.check(annotated, List.of(new RegisteredSchema(1, plain)),
				CompatibilityMode.FULL_TRANSITIVE)).isEmpty();
	}

}
