package dev.outbox.bench;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SameRecordsUnitTests {

	private static SameRecords.Published record(String key, String value, String id) {
		return new SameRecords.Published("outbox.event.drain1", 0, key, value, id, "OrderPlaced");
	}

	@Test
	void recordsWithTheSameTopicPartitionKeyValueAndHeadersAreTheSame() {
		List<SameRecords.Published> relay = List.of(record("agg-1", "{\"a\": 1}", "u1"), record("agg-2", "{}", "u2"));
		assertThat(SameRecords.differences("debezium", relay, List.copyOf(relay))).isEmpty();
	}

	@Test
	void eachDifferingFieldIsNamedWithBothValues() {
		List<SameRecords.Published> relay = List.of(record("agg-1", "{\"a\": 1}", "u1"));
		List<SameRecords.Published> peer = List.of(new SameRecords.Published("outbox.event.drain1", 0, "agg-1",
				"\"{\\\"a\\\": 1}\"", null, "OrderPlaced"));
		assertThat(SameRecords.differences("debezium", relay, peer)).containsExactly(
				"record 0: value of debezium is '\"{\\\"a\\\": 1}\"', the relay's is '{\"a\": 1}'",
				"record 0: header id of debezium is absent, the relay's is 'u1'");
	}

	@Test
	void fewerRecordsOrNoneToCompareAreADifference() {
		List<SameRecords.Published> relay = List.of(record("agg-1", "{}", "u1"));
		assertThat(SameRecords.differences("debezium", relay, List.of()))
			.containsExactly("debezium published 0 records where the relay's were 1");
		assertThat(SameRecords.differences("debezium", List.of(), List.of()))
			.containsExactly("debezium published 0 records where the relay's were 0");
	}

}
