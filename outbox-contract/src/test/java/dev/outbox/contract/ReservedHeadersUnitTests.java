package dev.outbox.contract;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class ReservedHeadersUnitTests {

	@ParameterizedTest(name = "{0} reserved: {1}")
	@CsvSource({ "id, true", "ID, true", "eventType, true", "eventtype, true", "aggregateType, true",
			"AGGREGATETYPE, true", "tenant, false", "traceparent, false", "idx, false", "event_type, false",
			"schemaVersion, true", "SCHEMAVERSION, true", "content-type, true", "Content-Type, true",
			"ce_id, true", "ce_specversion, true", "ce_type, true", "ce_source, true", "ce_subject, true",
			"ce_time, true", "ce_dataschema, true", "ce_myextension, false", "contenttype, false" })
	void reservedNamesAreRecognisedIgnoringCase(String name, boolean reserved) {
		assertThat(ReservedHeaders.isReserved(name)).isEqualTo(reserved);
	}

	@org.junit.jupiter.api.Test
	void collisionMessageNamesTheHeaderAndTheFix() {
		assertThat(ReservedHeaders.collisionMessage("id")).contains("'id'").contains("reserved").contains("Rename");
	}

}
