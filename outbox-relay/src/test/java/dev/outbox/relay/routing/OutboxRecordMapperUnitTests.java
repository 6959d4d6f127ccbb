package dev.outbox.relay.routing;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

import dev.outbox.contract.ReservedHeaders;
import dev.outbox.relay.event.InvalidOutboxRowException;
import dev.outbox.relay.event.OutboxRow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The record of a row: the relay's own headers first, then the row's, never two of one reserved
 * name.
 */
class OutboxRecordMapperUnitTests {

	private static final String EVENT_ID = "0d8f7c52-5f0e-4c0b-9f4e-2f1c7a9b3e10";

	private final OutboxRecordMapper mapper = new OutboxRecordMapper(new TopicTemplate("outbox.{aggregateType}"),
			new JsonMapper());

	@Test
	void rowHeadersFollowTheRelaysOwnHeadersInTheirOrder() {
		ProducerRecord<byte[], byte[]> record = this.mapper
			.toRecord(row("{\"tenant\": \"acme\", \"attempt\": 2, \"tags\": [\"a\"]}"));
		assertThat(record.headers().toArray()).extracting(Header::key)
			.containsExactly("id", "eventType", "aggregateType", "content-type", "tenant", "attempt", "tags");
		assertThat(text(record, "id")).isEqualTo(EVENT_ID);
		assertThat(text(record, "tenant")).isEqualTo("acme");
		assertThat(text(record, "attempt")).isEqualTo("2");
		assertThat(text(record, "tags")).isEqualTo("[\"a\"]");
	}

	@Test
	void rowWithoutHeadersGetsOnlyTheRelaysOwn() {
		assertThat(this.mapper.toRecord(row(null)).headers().toArray()).extracting(Header::key)
			.containsExactly("id", "eventType", "aggregateType", "content-type");
	}

	@Test
	void everyRecordSaysItsValueIsJson() {
		assertThat(text(this.mapper.toRecord(row(null)), "content-type")).isEqualTo("application/json");
	}

	@Test
	void schemaVersionOfTheRowBecomesTheSchemaVersionHeaderAfterContentType() {
		ProducerRecord<byte[], byte[]> record = this.mapper.toRecord(versionedRow(3, "{\"tenant\": \"acme\"}"));
		assertThat(record.headers().toArray()).extracting(Header::key)
			.containsExactly("id", "eventType", "aggregateType", "content-type", "schemaVersion", "tenant");
		assertThat(text(record, "schemaVersion")).isEqualTo("3");
	}

	@ParameterizedTest
	@ValueSource(strings = { "id", "ID", "eventType", "EVENTTYPE", "aggregateType", "aggregatetype", "schemaVersion",
			"content-type", "Content-Type", "ce_id", "ce_source" })
	void rowHeaderWithAReservedNameInAnyCaseIsRefusedNamingTheEventAndTheName(String name) {
		assertThatExceptionOfType(InvalidOutboxRowException.class)
			.isThrownBy(() -> this.mapper.toRecord(row("{\"tenant\": \"acme\", \"" + name + "\": \"x\"}")))
			.withMessageContaining("Event " + EVENT_ID)
			.withMessageContaining(ReservedHeaders.collisionMessage(name));
	}

	private static OutboxRow row(@Nullable String headers) {
		return new OutboxRow(EVENT_ID, "order", "order-1", "OrderPlaced", "{}", headers,
				Instant.parse("2026-01-02T03:04:05Z"), 42);
	}

	static OutboxRow versionedRow(int version, @Nullable String headers) {
		return new OutboxRow(EVENT_ID, "order", "order-1", "OrderPlaced", "{}", headers, version,
				Instant.parse("2026-01-02T03:04:05Z"), 42);
	}

	static String text(ProducerRecord<byte[], byte[]> record, String name) {
		return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
	}

}
