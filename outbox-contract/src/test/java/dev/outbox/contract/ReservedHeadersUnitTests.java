package dev.outbox.contract;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class ReservedHeadersUnitTests {

	@ParameterizedTest(name = "{0} reserved: {1}")
	@CsvSource({ "id, true", "ID, true", "eventType, true", "eventtype, true", "aggregateType, true",
			"AGGREGATETYPE, true", "tenant, false", "traceparent, false", "idx, false", "event_type, false" })
	void reservedNamesAreRecognisedIgnoringCase(String name, boolean reserved) {
		assertThat(ReservedHeaders.isReserved(name)).isEqualTo(reserved);
	}

	@org.junit.jupiter.api.Test
	void collisionMessageNamesTheHeaderAndTheFix() {
		assertThat(ReservedHeaders.collisionMessage("id")).contains("'id'").contains("reserved").contains("Rename");
	}

}
