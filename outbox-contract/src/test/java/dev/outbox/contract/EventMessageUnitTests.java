package dev.outbox.contract;

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

}
