package dev.outbox.relay.routing;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.outbox.contract.ReservedHeaders;
import dev.outbox.relay.event.InvalidOutboxRowException;
import dev.outbox.relay.event.MalformedEvent;
import dev.outbox.relay.event.OutboxRow;

/**
 * Maps an outbox row to the Kafka record the relay publishes. The mapping, also documented in
 * README, is the contract consumers rely on:
 * <ul>
 * <li>topic: {@link TopicTemplate} applied to {@code aggregate_type};</li>
 * <li>key: {@code aggregate_id} in UTF-8, so every event of one aggregate lands in one partition
 * and keeps its order there;</li>
 * <li>value: the {@code payload} JSON, UTF-8 bytes;</li>
 * <li>headers: {@code id}, {@code eventType}, {@code aggregateType}, {@code content-type}
 * ({@code application/json}), {@code schemaVersion} when the event carries one, then those of the
 * {@link RecordFormat} ({@code ce_*} for CloudEvents), then every entry of the {@code headers} JSON
 * object (string values as they are, other values as JSON text); an entry with a
 * {@link ReservedHeaders reserved name} (any case) makes the row invalid rather than a record with
 * two headers of that name;</li>
 * <li>timestamp: {@code created_at}; for an event written as a logical decoding message, which has
 * no such column, its transaction's commit time.</li>
 * </ul>
 * Stateless apart from the topic cache, and thread-safe.
 */
public final class OutboxRecordMapper {

	/** Header carrying the event id; consumers deduplicate on it. */
	public static final String ID_HEADER = ReservedHeaders.ID;

	/** Header carrying the event type. */
	public static final String EVENT_TYPE_HEADER = ReservedHeaders.EVENT_TYPE;

	/** Header carrying the aggregate type. */
	public static final String AGGREGATE_TYPE_HEADER = ReservedHeaders.AGGREGATE_TYPE;

	private final TopicTemplate topicTemplate;

	private final JsonMapper jsonMapper;

	private final RecordFormat format;

	/**
	 * A mapper of the {@code plain} record format.
	 * @param topicTemplate how topics are named
	 * @param jsonMapper reads the {@code headers} column
	 */
	public OutboxRecordMapper(TopicTemplate topicTemplate, JsonMapper jsonMapper) {
		this(topicTemplate, jsonMapper, RecordFormat.PLAIN);
	}

	/**
	 * @param topicTemplate how topics are named
	 * @param jsonMapper reads the {@code headers} column
	 * @param format the record format ({@code outbox.relay.record-format})
	 */
	public OutboxRecordMapper(TopicTemplate topicTemplate, JsonMapper jsonMapper, RecordFormat format) {
		this.topicTemplate = topicTemplate;
		this.jsonMapper = jsonMapper;
		this.format = format;
	}

	/**
	 * Builds the record of one row.
	 * @param row the decoded row
	 * @return the record to send
	 * @throws InvalidOutboxRowException when the row cannot be mapped (illegal topic, malformed
	 * headers, a header with a reserved name)
	 */
	public ProducerRecord<byte[], byte[]> toRecord(OutboxRow row) {
		String topic = this.topicTemplate.topicFor(row.aggregateType(), row.eventType());
		List<Header> headers = reservedHeaders(row);
		if (row.headers() != null) {
			addUserHeaders(row, headers);
		}
		return new ProducerRecord<>(topic, null, timestamp(row),
				row.aggregateId().getBytes(StandardCharsets.UTF_8), row.payload().getBytes(StandardCharsets.UTF_8),
				headers);
	}

	/**
	 * The record of a row that {@link #toRecord} refused, as far as it can be built without the
	 * parts that failed (the topic, the user headers), for the dead-letter topic: key, payload and
	 * the reserved headers, and an empty topic name.
	 * @param row the decoded row
	 * @return a record to park, not to publish
	 */
	public ProducerRecord<byte[], byte[]> unmappedRecord(OutboxRow row) {
		return new ProducerRecord<>("", null, timestamp(row),
				row.aggregateId().getBytes(StandardCharsets.UTF_8), row.payload().getBytes(StandardCharsets.UTF_8),
				reservedHeaders(row));
	}

	/**
	 * The record of a malformed message under the outbox prefix, for the dead-letter topic: its
	 * content as it was emitted, no key, no headers, and an empty topic name.
	 * @param event the message
	 * @return a record to park, not to publish
	 */
	public ProducerRecord<byte[], byte[]> malformedRecord(MalformedEvent event) {
		return new ProducerRecord<>("", null, event.receivedAt().toEpochMilli(), null, event.content());
	}

	private List<Header> reservedHeaders(OutboxRow row) {
		List<Header> headers = new ArrayList<>(16);
		headers.add(header(ID_HEADER, row.id()));
		headers.add(header(EVENT_TYPE_HEADER, row.eventType()));
		headers.add(header(AGGREGATE_TYPE_HEADER, row.aggregateType()));
		headers.add(header(ReservedHeaders.CONTENT_TYPE, ReservedHeaders.JSON));
		if (row.schemaVersion() != null) {
			headers.add(header(ReservedHeaders.SCHEMA_VERSION, row.schemaVersion().toString()));
		}
		this.format.addHeaders(row, Instant.ofEpochMilli(timestamp(row)), headers);
		return headers;
	}

	/** The record's timestamp: Kafka keeps milliseconds. */
	private static long timestamp(OutboxRow row) {
		return row.createdAt().toEpochMilli();
	}

	private void addUserHeaders(OutboxRow row, List<Header> headers) {
		JsonNode node;
		try {
			node = this.jsonMapper.readTree(row.headers());
		}
		catch (JacksonException ex) {
			throw new InvalidOutboxRowException("Event " + row.id() + ": column headers is not valid JSON", ex);
		}
		if (node == null || node.isNull()) {
			return;
		}
		if (!node.isObject()) {
			throw new InvalidOutboxRowException("Event " + row.id()
					+ ": column headers must be a JSON object of name to value, but was " + node.getNodeType());
		}
		for (Map.Entry<String, JsonNode> entry : node.properties()) {
			if (ReservedHeaders.isReserved(entry.getKey())) {
				throw new InvalidOutboxRowException(
						"Event " + row.id() + ": column headers: " + ReservedHeaders.collisionMessage(entry.getKey()));
			}
			JsonNode value = entry.getValue();
			String text = value.isString() ? value.asString() : value.toString();
			headers.add(header(entry.getKey(), text));
		}
	}

	private static Header header(String name, String value) {
		return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
	}

}
