package dev.outbox.relay.routing;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

import dev.outbox.relay.event.OutboxRow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@code record-format=cloudevents}: binary content mode of the CloudEvents Kafka protocol binding,
 * checked against the spec's text (CloudEvents 1.0: required id, source, specversion, type;
 * optional subject, time (RFC 3339), dataschema (absolute URI); the binding: attributes as
 * {@code ce_<name>} headers in UTF-8, datacontenttype as {@code content-type}, data as the value).
 */
class CloudEventsFormatUnitTests {

	private static final String EVENT_ID = "0d8f7c52-5f0e-4c0b-9f4e-2f1c7a9b3e10";

	private final OutboxRecordMapper mapper = new OutboxRecordMapper(new TopicTemplate("outbox.{aggregateType}"),
			new JsonMapper(), new CloudEventsFormat("/order-service"));

	@Test
	void recordCarriesTheAttributesOfBinaryContentModeAndKeepsThePlainHeaders() {
		ProducerRecord<byte[], byte[]> record = this.mapper.toRecord(row(7, "{\"traceparent\": \"00-abc-def-01\"}",
				Instant.parse("2026-01-02T03:04:05.678912Z")));

		assertThat(headers(record)).containsExactly(Map.entry("id", EVENT_ID), Map.entry("eventType", "OrderPlaced"),
				Map.entry("aggregateType", "order"), Map.entry("content-type", "application/json"),
				Map.entry("schemaVersion", "7"), Map.entry("ce_specversion", "1.0"), Map.entry("ce_id", EVENT_ID),
				Map.entry("ce_type", "OrderPlaced"), Map.entry("ce_source", "/order-service"),
				Map.entry("ce_subject", "order-1"), Map.entry("ce_time", "2026-01-02T03:04:05.678Z"),
				Map.entry("ce_dataschema", "urn:outbox:schema:OrderPlaced:7"),
				Map.entry("traceparent", "00-abc-def-01"));
		assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("order-1");
		assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo("{\"total\": 1}");
	}

	@Test
	void recordIsAValidCloudEventByTheSpecsRules() {
		ProducerRecord<byte[], byte[]> record = this.mapper.toRecord(row(2, null, Instant.parse("2026-01-02T03:04:05Z")));
		Map<String, String> headers = headers(record).stream()
			.collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));

		assertThat(Arrays.stream(record.headers().toArray()).map(Header::key)).doesNotHaveDuplicates();
		assertThat(headers.keySet()).filteredOn((name) -> name.startsWith("ce_"))
			.allSatisfy((name) -> assertThat(name.substring(3)).matches("[a-z0-9]{1,20}"))
			.contains("ce_id", "ce_source", "ce_specversion", "ce_type");
		assertThat(headers.get("ce_specversion")).isEqualTo("1.0");
		assertThat(headers.get("ce_id")).isNotEmpty();
		assertThat(headers.get("ce_type")).isNotEmpty();
		assertThat(URI.create(headers.get("ce_source")).toString()).isNotEmpty();
		assertThat(URI.create(headers.get("ce_dataschema")).isAbsolute()).isTrue();
		// RFC 3339: a full date-time with an offset; the instant is the record's timestamp
		assertThat(headers.get("ce_time")).isEqualTo("2026-01-02T03:04:05Z");
		assertThat(OffsetDateTime.parse(headers.get("ce_time"), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant()
			.toEpochMilli()).isEqualTo(record.timestamp());
		assertThat(headers.get("content-type")).isEqualTo("application/json");
	}

	@Test
	void dataSchemaOnlyWhenTheEventCarriesAVersion() {
		ProducerRecord<byte[], byte[]> record = this.mapper.toRecord(row(null, null, Instant.parse("2026-01-02T03:04:05Z")));
		assertThat(headers(record)).extracting(Map.Entry::getKey)
			.containsExactly("id", "eventType", "aggregateType", "content-type", "ce_specversion", "ce_id", "ce_type",
					"ce_source", "ce_subject", "ce_time");
	}

	@Test
	void dataSchemaPercentEncodesWhatAUrnDoesNotAllowAndTheColon() {
		assertThat(CloudEventsFormat.dataSchema("com.example/Order Placed:v2ü", 12))
			.isEqualTo("urn:outbox:schema:com.example/Order%20Placed%3Av2%C3%BC:12");
		assertThat(URI.create(CloudEventsFormat.dataSchema("a b#c?d%", 1)).isAbsolute()).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "  " })
	void missingSourceIsRefusedNamingTheSetting(String source) {
		assertThatIllegalArgumentException().isThrownBy(() -> new CloudEventsFormat(source))
			.withMessageContaining("outbox.relay.cloudevents.source is required with outbox.relay.record-format=cloudevents")
			.withMessageContaining("URI-reference");
	}

	@Test
	void sourceThatIsNotAUriReferenceIsRefusedNamingTheSettingAndTheValue() {
		assertThatIllegalArgumentException().isThrownBy(() -> new CloudEventsFormat("order service"))
			.withMessageContaining("outbox.relay.cloudevents.source='order service' is not a URI-reference");
	}

	@Test
	void absoluteAndRelativeUriReferencesAreAcceptedAsSource() {
		for (String source : List.of("https://example.com/orders", "urn:example:orders", "/orders", "orders")) {
			ProducerRecord<byte[], byte[]> record = new OutboxRecordMapper(new TopicTemplate("t"), new JsonMapper(),
					new CloudEventsFormat(source)).toRecord(row(null, null, Instant.EPOCH));
			assertThat(new String(record.headers().lastHeader("ce_source").value(), StandardCharsets.UTF_8))
				.isEqualTo(source);
		}
	}

	private static OutboxRow row(@Nullable Integer version, @Nullable String headers, Instant createdAt) {
		return new OutboxRow(EVENT_ID, "order", "order-1", "OrderPlaced", "{\"total\": 1}", headers, version,
				createdAt, 42);
	}

	private static List<Map.Entry<String, String>> headers(ProducerRecord<byte[], byte[]> record) {
		return Arrays.stream(record.headers().toArray())
			.map((header) -> Map.entry(header.key(), new String(header.value(), StandardCharsets.UTF_8)))
			.toList();
	}

}
