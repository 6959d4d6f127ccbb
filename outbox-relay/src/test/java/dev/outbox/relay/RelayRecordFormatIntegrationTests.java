package dev.outbox.relay;

import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The record formats on a real PostgreSQL and Kafka: {@code plain} (default) says
 * {@code content-type} and, when the row carries one, {@code schemaVersion}; {@code cloudevents}
 * adds the attributes of binary content mode; and a table created before the optional
 * {@code schema_version} column (migration V3) is still relayed.
 */
class RelayRecordFormatIntegrationTests extends RelayIntegrationTestSupport {

	@Test
	void plainRecordSaysContentTypeAndTheRowsSchemaVersion() {
		this.fixture.addSchemaVersionColumn("public.outbox_event");
		this.fixture.startRelay();
		String id = write(", schema_version", ", 5");

		ConsumerRecord<String, String> record = only();
		assertThat(RelayFixture.header(record, "id")).isEqualTo(id);
		assertThat(RelayFixture.header(record, "content-type")).isEqualTo("application/json");
		assertThat(RelayFixture.header(record, "schemaVersion")).isEqualTo("5");
		assertThat(keys(record)).noneMatch((name) -> name.startsWith("ce_"));
	}

	@Test
	void tableWithoutTheSchemaVersionColumnIsStillRelayedWithoutTheHeader() {
		this.fixture.startRelay();
		String id = write("", "");

		ConsumerRecord<String, String> record = only();
		assertThat(RelayFixture.header(record, "id")).isEqualTo(id);
		assertThat(RelayFixture.header(record, "content-type")).isEqualTo("application/json");
		assertThat(keys(record)).doesNotContain("schemaVersion");
	}

	@Test
	void cloudEventsRecordCarriesTheBinaryModeAttributes() {
		this.fixture.addSchemaVersionColumn("public.outbox_event");
		this.fixture.startRelay("outbox.relay.record-format=cloudevents",
				"outbox.relay.cloudevents.source=/order-service");
		String id = write(", schema_version", ", 2");

		ConsumerRecord<String, String> record = only();
		assertThat(record.key()).isEqualTo("order-42");
		assertThat(record.value()).isEqualTo("{\"total\": 12.5}");
		assertThat(keys(record)).containsExactly("id", "eventType", "aggregateType", "content-type", "schemaVersion",
				"ce_specversion", "ce_id", "ce_type", "ce_source", "ce_subject", "ce_time", "ce_dataschema",
				"tenant");
		assertThat(RelayFixture.header(record, "ce_specversion")).isEqualTo("1.0");
		assertThat(RelayFixture.header(record, "ce_id")).isEqualTo(id);
		assertThat(RelayFixture.header(record, "ce_type")).isEqualTo("OrderPlaced");
		assertThat(RelayFixture.header(record, "ce_source")).isEqualTo("/order-service");
		assertThat(RelayFixture.header(record, "ce_subject")).isEqualTo("order-42");
		assertThat(RelayFixture.header(record, "ce_time")).isEqualTo("2026-01-02T03:04:05.678Z");
		assertThat(RelayFixture.header(record, "ce_dataschema")).isEqualTo("urn:outbox:schema:OrderPlaced:2");
		assertThat(RelayFixture.header(record, "content-type")).isEqualTo("application/json");
		assertThat(record.timestamp()).isEqualTo(java.time.Instant.parse("2026-01-02T03:04:05.678Z").toEpochMilli());
	}

	@Test
	void cloudEventsWithoutASourceFailsStartupNamingTheSetting() {
		Throwable failure = catchThrowable(() -> this.fixture.startRelay("outbox.relay.record-format=cloudevents"));
		assertThat(failure).isNotNull();
		assertThat(rootMessage(failure))
			.contains("outbox.relay.cloudevents.source is required with outbox.relay.record-format=cloudevents");
	}

	private String write(String column, String value) {
		String id = UUID.randomUUID().toString();
		this.fixture.execute("BEGIN; INSERT INTO outbox_event (id, aggregate_type, aggregate_id, event_type, payload, "
				+ "headers, created_at" + column + ") VALUES ('" + id + "', 'order', 'order-42', 'OrderPlaced', "
				+ "'{\"total\": 12.5}', '{\"tenant\": \"acme\"}', '2026-01-02T03:04:05.678Z'" + value + "); "
				+ "DELETE FROM outbox_event WHERE id = '" + id + "'; COMMIT;");
		return id;
	}

	private ConsumerRecord<String, String> only() {
		List<ConsumerRecord<String, String>> records = this.fixture.awaitRecords(this.fixture.topic("order"), 1);
		assertThat(records).hasSize(1);
		return records.get(0);
	}

	private static List<String> keys(ConsumerRecord<String, String> record) {
		return java.util.Arrays.stream(record.headers().toArray()).map(Header::key).toList();
	}

	private static String rootMessage(Throwable failure) {
		Throwable cause = failure;
		while (cause.getCause() != null) {
			cause = cause.getCause();
		}
		return cause.getMessage();
	}

}
