package dev.outbox.starter.write;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.outbox.contract.EventMessage;

import static org.assertj.core.api.Assertions.assertThat;

class EventMessageContentUnitTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final UUID ID = UUID.fromString("0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b");

	@Test
	void writesTheContractFieldsInOrderWithPayloadAndHeadersEmbeddedAsJsonValues() {
		String content = EventMessageContent.of(new OutboxRecord(ID, "Order", "42", "OrderPlaced",
				"{\"total\":12.50,\"items\":[1,2]}", "{\"tenant\":\"acme\"}"));

		assertThat(content).isEqualTo("{\"id\":\"" + ID + "\",\"aggregate_type\":\"Order\",\"aggregate_id\":\"42\","
				+ "\"event_type\":\"OrderPlaced\",\"payload\":{\"total\":12.50,\"items\":[1,2]},"
				+ "\"headers\":{\"tenant\":\"acme\"}}");
		// schema_version is optional: absent for an event type without a registered schema
		assertThat(json.readTree(content).propertyNames())
			.containsExactlyElementsOf(EventMessage.FIELDS.subList(0, EventMessage.FIELDS.size() - 1));
	}

	@Test
	void writesTheRegisteredSchemaVersionLastAsANumber() {
		JsonNode content = json.readTree(EventMessageContent.of(new OutboxRecord(ID, "Order", "42", "OrderPlaced",
				"{}", "{\"tenant\":\"acme\"}", 3)));

		assertThat(content.propertyNames()).containsExactlyElementsOf(EventMessage.FIELDS);
		assertThat(content.get(EventMessage.SCHEMA_VERSION).isInt()).isTrue();
		assertThat(content.get(EventMessage.SCHEMA_VERSION).asInt()).isEqualTo(3);
	}

	@Test
	void omitsHeadersWhenThereAreNone() {
		JsonNode content = json.readTree(EventMessageContent.of(new OutboxRecord(ID, "Order", "42", "OrderPlaced",
				"\"just a string\"", null)));

		assertThat(content.propertyNames()).containsExactlyElementsOf(EventMessage.REQUIRED_FIELDS);
		assertThat(content.get("payload").asString()).isEqualTo("just a string");
	}

	@Test
	void escapesQuotesBackslashesControlCharactersAndKeepsNonAsciiText() {
		String awkward = "q\" b\\ n\n t\t bell\u0007 del\u007f snow\u2603 emoji\uD83D\uDE00 sep\u2028";
		JsonNode content = json.readTree(EventMessageContent.of(new OutboxRecord(ID, awkward, awkward, awkward,
				"null", null)));

		for (String field : List.of("aggregate_type", "aggregate_id", "event_type")) {
			assertThat(content.get(field).asString()).as(field).isEqualTo(awkward);
		}
		assertThat(content.get("payload").isNull()).isTrue();
	}

	@Test
	void stringsWithQuotesBackslashesControlCharactersAndAnyUnicodeReadBackAsWritten() {
		String aggregateType = "Order \"special\" \\ type";
		String aggregateId = "line\nbreak\ttab\u0000nul\u001f\u007f";
		String eventType = "Bestellung aufgegeben \u00e9\u4e2d\ud83d\ude00 \u2028";
		JsonNode content = json.readTree(EventMessageContent
			.of(new OutboxRecord(ID, aggregateType, aggregateId, eventType, "\"text payload\"", null)));
		assertThat(content.get(EventMessage.AGGREGATE_TYPE).asString()).isEqualTo(aggregateType);
		assertThat(content.get(EventMessage.AGGREGATE_ID).asString()).isEqualTo(aggregateId);
		assertThat(content.get(EventMessage.EVENT_TYPE).asString()).isEqualTo(eventType);
		assertThat(content.get(EventMessage.PAYLOAD).asString()).isEqualTo("text payload");
	}

}
