package dev.outbox.starter.contract;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import static dev.outbox.starter.contract.SchemaChanges.edited;
import static dev.outbox.starter.contract.SchemaChanges.parse;
import static dev.outbox.starter.contract.SchemaChanges.put;
import static dev.outbox.starter.contract.SchemaChanges.remove;
import static dev.outbox.starter.contract.SchemaChanges.require;
import static dev.outbox.starter.contract.SchemaChanges.set;
import static dev.outbox.starter.contract.SchemaChanges.unrequire;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link SchemaCompatibility}: the table of changes against every mode.
 * Each row is one change from version 1 to a new schema, with the violations it must give in
 * the backward direction (the new schema reads version 1's events) and in the forward one
 * (version 1 reads the new schema's events). The expected result per mode is derived here from
 * the mode's name, not from {@link CompatibilityMode}'s own flags, so a mode wired to the
 * wrong direction fails.
 */
class SchemaCompatibilityUnitTests {

	/** What a generator writes for an {@code OrderPlaced} record: every kind of node once. */
	static final JsonNode ORDER_PLACED = parse("""
			{ '$schema': 'https://json-schema.org/draft/2020-12/schema', 'type': 'object',
			  'properties': {
			    'orderId': { 'type': 'string', 'format': 'uuid' },
			    'total': { 'type': 'number' },
			    'quantity': { 'type': 'integer' },
			    'status': { 'type': 'string', 'enum': ['PLACED', 'PAID'] },
			    'note': { 'type': ['string', 'null'] },
			    'customer': { '$ref': '#/$defs/Customer' },
			    'lines': { 'type': 'array', 'items': { 'type': 'object',
			      'properties': { 'sku': { 'type': 'string' }, 'qty': { 'type': 'integer' } },
			      'required': ['sku', 'qty'] } } },
			  'required': ['orderId', 'total', 'quantity', 'status', 'customer', 'lines'],
			  '$defs': { 'Customer': { 'type': 'object',
			    'properties': { 'id': { 'type': 'string' }, 'email': { 'type': 'string' } },
			    'required': ['id'] } } }
			""");

	static Stream<Arguments> changesTimesModes() {
		List<Arguments> rows = new ArrayList<>();
		for (Arguments change : changes().toList()) {
			for (CompatibilityMode mode : CompatibilityMode.values()) {
				Object[] row = change.get();
				rows.add(Arguments.argumentSet(row[0] + " under " + mode, row[1], mode, row[2], row[3]));
			}
		}
		return rows.stream();
	}

	static Stream<Arguments> changes() {
		return Stream.of(
				change("identical schema", (schema) -> { }, none(), none()),
				change("add nullable optional property", put("", "coupon", "{'type': ['string', 'null']}"), none(),
						none()),
				change("add required-but-nullable property",
						put("", "coupon", "{'type': ['string', 'null']}").andThen(require("", "coupon")),
						List.of("coupon REQUIRED_PROPERTY_ADDED"), none()),
				change("add required property", put("", "channel", "{'type': 'string'}").andThen(require("", "channel")),
						List.of("channel REQUIRED_PROPERTY_ADDED"), none()),
				change("remove optional property", remove("", "note"), none(), none()),
				change("remove required property", remove("", "total"), none(),
						List.of("total REQUIRED_PROPERTY_REMOVED")),
				change("rename required property",
						remove("", "orderId").andThen(put("", "id", "{'type': 'string', 'format': 'uuid'}"))
							.andThen(require("", "id")),
						List.of("id PROPERTY_RENAMED"), List.of("orderId PROPERTY_RENAMED")),
				change("make required property optional", unrequire("", "total"), none(),
						List.of("total PROPERTY_MADE_OPTIONAL")),
				change("make optional property required", require("", "note"),
						List.of("note PROPERTY_MADE_REQUIRED"), none()),
				change("widen integer to number", set("/properties/quantity", "type", "'number'"), none(),
						List.of("quantity TYPE_WIDENED")),
				change("narrow number to integer", set("/properties/total", "type", "'integer'"),
						List.of("total TYPE_NARROWED"), none()),
				change("change string to integer",
						put("", "orderId", "{'type': 'integer'}"), List.of("orderId TYPE_CHANGED"),
						List.of("orderId TYPE_CHANGED")),
				change("drop a format", put("", "orderId", "{'type': 'string'}"), none(),
						List.of("orderId FORMAT_CHANGED")),
				change("add enum value", set("/properties/status", "enum", "['PLACED', 'PAID', 'SHIPPED']"), none(),
						List.of("status ENUM_VALUE_ADDED")),
				change("remove enum value", set("/properties/status", "enum", "['PLACED']"),
						List.of("status ENUM_VALUE_REMOVED"), none()),
				change("make nullable property non-null", set("/properties/note", "type", "'string'"),
						List.of("note MADE_NON_NULL"), none()),
				change("make non-null property nullable", set("/properties/total", "type", "['number', 'null']"),
						none(), List.of("total MADE_NULLABLE")),
				change("remove required property of a referenced nested object", remove("/$defs/Customer", "id"),
						none(), List.of("customer.id REQUIRED_PROPERTY_REMOVED")),
				change("add required property to a referenced nested object",
						put("/$defs/Customer", "name", "{'type': 'string'}").andThen(require("/$defs/Customer", "name")),
						List.of("customer.name REQUIRED_PROPERTY_ADDED"), none()),
				change("change type in array items", set("/properties/lines/items/properties/sku", "type", "'integer'"),
						List.of("lines[].sku TYPE_CHANGED"), List.of("lines[].sku TYPE_CHANGED")),
				change("remove required property of array items", remove("/properties/lines/items", "qty"), none(),
						List.of("lines[].qty REQUIRED_PROPERTY_REMOVED")));
	}

	@ParameterizedTest
	@MethodSource("changesTimesModes")
	void changeIsAcceptedOrRejectedWithPathAndRulePerMode(Consumer<ObjectNode> edit, CompatibilityMode mode,
			List<String> backward, List<String> forward) {
		List<String> expected = new ArrayList<>();
		if (mode.name().startsWith("BACKWARD") || mode.name().startsWith("FULL")) {
			expected.addAll(backward);
		}
		if (mode.name().startsWith("FORWARD") || mode.name().startsWith("FULL")) {
			expected.addAll(forward);
		}

		List<CompatibilityViolation> violations = SchemaCompatibility.check(edited(ORDER_PLACED, edit),
				List.of(new RegisteredSchema(1, ORDER_PLACED)), mode);

		assertThat(violations).extracting((violation) -> violation.path() + " " + violation.rule())
			.containsExactlyInAnyOrderElementsOf(expected);
		assertThat(violations).allSatisfy((violation) -> assertThat(violation.earlierVersion()).isEqualTo(1));
	}

	@ParameterizedTest
	@MethodSource("transitiveExpectations")
	void transitiveModeAlsoChecksVersionsBeforeTheLast(CompatibilityMode mode, List<String> expected) {
		JsonNode v1 = parse("{'type': 'object', 'properties': {'id': {'type': 'string'}, 'code': {'type': 'string'}},"
				+ " 'required': ['id']}");
		JsonNode v2 = edited(v1, remove("", "code"));
		JsonNode v3 = edited(v2, put("", "code", "{'type': 'integer'}"));
		assertThat(SchemaCompatibility.check(v2, List.of(new RegisteredSchema(1, v1)), mode)).isEmpty();

		List<CompatibilityViolation> violations = SchemaCompatibility.check(v3,
				List.of(new RegisteredSchema(1, v1), new RegisteredSchema(2, v2)), mode);

		assertThat(violations)
			.extracting((violation) -> "v" + violation.earlierVersion() + " " + violation.path() + " " + violation.rule())
			.containsExactlyInAnyOrderElementsOf(expected);
	}

	static Stream<Arguments> transitiveExpectations() {
		List<String> once = List.of("v1 code TYPE_CHANGED");
		List<String> twice = List.of("v1 code TYPE_CHANGED", "v1 code TYPE_CHANGED");
		return Stream.of(Arguments.of(CompatibilityMode.NONE, none()), Arguments.of(CompatibilityMode.BACKWARD, none()),
				Arguments.of(CompatibilityMode.FORWARD, none()), Arguments.of(CompatibilityMode.FULL, none()),
				Arguments.of(CompatibilityMode.BACKWARD_TRANSITIVE, once),
				Arguments.of(CompatibilityMode.FORWARD_TRANSITIVE, once),
				Arguments.of(CompatibilityMode.FULL_TRANSITIVE, twice));
	}

	@Test
	void rollbackToARegisteredSchemaIsAcceptedThoughTheLastVersionWouldRejectIt() {
		JsonNode v1 = ORDER_PLACED;
		JsonNode v2 = edited(v1, put("", "channel", "{'type': 'string'}").andThen(require("", "channel")));
		List<RegisteredSchema> registered = List.of(new RegisteredSchema(1, v1), new RegisteredSchema(2, v2));
		JsonNode v1WithADescription = edited(v1, set("", "description", "'an order was placed'"));

		assertThat(SchemaCompatibility.check(v1.deepCopy(), registered, CompatibilityMode.FULL_TRANSITIVE)).isEmpty();
		assertThat(SchemaCompatibility.check(v1WithADescription, registered, CompatibilityMode.FORWARD))
			.extracting(CompatibilityViolation::toString)
			.containsExactly("version 2 -> new, channel: REQUIRED_PROPERTY_REMOVED: required by consumers on the "
					+ "earlier version but no longer written");
	}

	@Test
	void firstVersionIsAlwaysCompatible() {
		assertThat(SchemaCompatibility.check(ORDER_PLACED, List.of(), CompatibilityMode.FULL_TRANSITIVE)).isEmpty();
	}

	@Test
	void registeredVersionsOutOfOrderAreRefusedNamingThem() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> SchemaCompatibility.check(ORDER_PLACED,
					List.of(new RegisteredSchema(2, ORDER_PLACED), new RegisteredSchema(1, ORDER_PLACED)),
					CompatibilityMode.FORWARD))
			.withMessage("Registered schemas must be given oldest first, but version 1 follows version 2");
	}

	@Test
	void renameIsOnlyAHintWhenOneCandidateMatches() {
		JsonNode twoStrings = edited(ORDER_PLACED,
				put("", "ref", "{'type': 'string', 'format': 'uuid'}").andThen(require("", "ref")));
		JsonNode bothGoneOneAdded = edited(twoStrings, remove("", "orderId").andThen(remove("", "ref"))
			.andThen(put("", "id", "{'type': 'string', 'format': 'uuid'}")).andThen(require("", "id")));

		assertThat(SchemaCompatibility.check(bothGoneOneAdded, List.of(new RegisteredSchema(1, twoStrings)),
				CompatibilityMode.FORWARD))
			.extracting((violation) -> violation.path() + " " + violation.rule())
			.containsExactlyInAnyOrder("orderId REQUIRED_PROPERTY_REMOVED", "ref REQUIRED_PROPERTY_REMOVED");
	}

	@Test
	void forwardRenameMessageNamesBothProperties() {
		JsonNode renamed = edited(ORDER_PLACED, remove("", "orderId")
			.andThen(put("", "id", "{'type': 'string', 'format': 'uuid'}")).andThen(require("", "id")));

		assertThat(SchemaCompatibility.check(renamed, List.of(new RegisteredSchema(3, ORDER_PLACED)),
				CompatibilityMode.FORWARD))
			.extracting(CompatibilityViolation::toString)
			.containsExactly("version 3 -> new, orderId: PROPERTY_RENAMED: required by consumers on the earlier "
					+ "version but no longer written; 'id' with the identical schema is written instead: renamed to 'id'?");
	}

	private static Arguments change(String name, Consumer<ObjectNode> edit, List<String> backward,
			List<String> forward) {
		return Arguments.of(name, edit, backward, forward);
	}

	private static List<String> none() {
		return List.of();
	}

}
