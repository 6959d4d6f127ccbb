package dev.outbox.failuresuite.readmodel;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;

import org.apache.kafka.clients.producer.ProducerRecord;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One committed change of an item, as every capture of the {@code read-model} workload sends it:
 * keyed by the item, its {@code id} header naming the item and version, so that a redelivery
 * carries the id it had the first time.
 *
 * @param id the item
 * @param version the item's version after the change, from 1 in commit order; a delete is the
 * version after the last upsert
 * @param op {@value #UPSERT} or {@value #DELETE}
 * @param value the item's value after an upsert, empty for a delete
 * @param updatedAtMicros the row's {@code updated_at} (microseconds since the epoch); for a delete,
 * when it was deleted
 */
public record ItemChange(long id, long version, String op, String value, long updatedAtMicros) {

	/** An insert or update. */
	public static final String UPSERT = "upsert";

	/** A delete. */
	public static final String DELETE = "delete";

	/** Aggregate type of the changes capture {@code log} publishes through the starter: the topic's suffix. */
	public static final String AGGREGATE_TYPE = "item";

	/** Event type of the changes capture {@code log} publishes through the starter. */
	public static final String EVENT_TYPE = "ItemChanged";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/** @return the record key: the item */
	public String key() {
		return key(this.id);
	}

	/**
	 * @param id an item
	 * @return its record key
	 */
	public static String key(long id) {
		return "item-" + id;
	}

	/** @return the event's name for the delivery checker, unique per item and version */
	public String event() {
		return event(this.id, this.version);
	}

	/**
	 * @param id an item
	 * @param version its version
	 * @return the event's name
	 */
	public static String event(long id, long version) {
		return key(id) + " v" + version;
	}

	/** @return the {@code id} header: what an idempotent sink keys on */
	public String eventId() {
		return key() + "-v" + this.version;
	}

	/** @return whether it deletes the item */
	public boolean deletes() {
		return DELETE.equals(this.op);
	}

	/** @return the payload, JSON */
	public String json() {
		return JSON.writeValueAsString(this);
	}

	/**
	 * @param json a payload
	 * @return the change it carries
	 */
	public static ItemChange parse(String json) {
		JsonNode node = JSON.readTree(json);
		return new ItemChange(node.path("id").asLong(), node.path("version").asLong(), node.path("op").asString(""),
				node.path("value").asString(""), node.path("updatedAtMicros").asLong());
	}

	/**
	 * @param micros microseconds since the epoch
	 * @return the instant as a JDBC timestamp, to the microsecond
	 */
	public static Timestamp timestamp(long micros) {
		Timestamp timestamp = new Timestamp(Math.floorDiv(micros, 1000));
		timestamp.setNanos((int) (Math.floorMod(micros, 1_000_000) * 1000));
		return timestamp;
	}

	/**
	 * @param topic where it goes
	 * @return the record
	 */
	public ProducerRecord<String, String> record(String topic) {
		ProducerRecord<String, String> record = new ProducerRecord<>(topic, key(), json());
		record.headers().add("id", eventId().getBytes(StandardCharsets.UTF_8));
		return record;
	}

}
