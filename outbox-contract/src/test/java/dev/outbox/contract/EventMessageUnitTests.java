package dev.outbox.contract;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EventMessageUnitTests {

	@Test
	void prefixNamesTheOutboxTableSoThatTwoOutboxesNeverShareOne() {
		assertThat(EventMessage.prefixFor(TableName.parse("outbox_event", "outbox.table")))
			.isEqualTo("outbox:public.outbox_event");
		assertThat(EventMessage.prefixFor(TableName.parse("billing.outbox_event", "outbox.table")))
			.isEqualTo("outbox:billing.outbox_event")
			.startsWith(EventMessage.PREFIX_START);
	}

	@Test
	void requiredFieldsAreTheContractFieldsButHeadersAndSchemaVersion() {
		assertThat(EventMessage.FIELDS).containsAll(EventMessage.REQUIRED_FIELDS);
		assertThat(EventMessage.FIELDS).hasSize(EventMessage.REQUIRED_FIELDS.size() + 2)
			.endsWith("headers", "schema_version");
		assertThat(EventMessage.REQUIRED_FIELDS).doesNotContain("headers", "schema_version");
	}

	@Test
	void contentHasTheFieldsInContractOrderWithPayloadAndHeadersEmbeddedAsTheyAre() {
		assertThat(EventMessage.content("0190-1", "order", "42", "OrderPlaced", "{\"total\":3}", "{\"a\":\"b\"}", 2))
			.isEqualTo("{\"id\":\"0190-1\",\"aggregate_type\":\"order\",\"aggregate_id\":\"42\","
					+ "\"event_type\":\"OrderPlaced\",\"payload\":{\"total\":3},\"headers\":{\"a\":\"b\"},"
					+ "\"schema_version\":2}");
		assertThat(EventMessage.content("0190-1", "order", "42", "OrderPlaced", "[1]", null, null))
			.isEqualTo("{\"id\":\"0190-1\",\"aggregate_type\":\"order\",\"aggregate_id\":\"42\","
					+ "\"event_type\":\"OrderPlaced\",\"payload\":[1]}");
	}

	@Test
	void contentEscapesQuotesBackslashesAndControlCharactersInItsStrings() {
		assertThat(EventMessage.content("i", "a\"b", "c\\d", "e\nf\u0001", "1", null, null))
			.contains("\"aggregate_type\":\"a\\\"b\"", "\"aggregate_id\":\"c\\\\d\"",
					"\"event_type\":\"e\\u000af\\u0001\"");
	}

	@Test
	void contentArrayJoinsTheContentsAsTheyAre() {
		assertThat(EventMessage.contentArray(List.of("{\"a\":\"x\\\"y\"}", "{\"b\":[1, 2]}")))
			.isEqualTo("[{\"a\":\"x\\\"y\"},{\"b\":[1, 2]}]");
		assertThat(EventMessage.contentArray(List.of())).isEqualTo("[]");
	}

}
