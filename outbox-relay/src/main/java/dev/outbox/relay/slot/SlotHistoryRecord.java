package dev.outbox.relay.slot;

import java.time.Instant;

import org.postgresql.replication.LogSequenceNumber;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The value of a slot-history record, small JSON such as
 * {@code {"event":"streaming","confirmedLsn":"0/16B3748","timeline":1,"at":"2026-01-01T10:00:00Z"}}. Any
 * record for a slot means a relay depended on that slot: it must not be created anew silently.
 * <p>
 * The timeline lets a relay that starts after a failover (a promoted standby starts a new one)
 * tell a copy of its slot that stayed behind from a slot that a crash restart set back: only the
 * first is on another timeline than the record. Records written before the timeline was kept
 * read as 0, unknown.
 *
 * @param event what the relay saw
 * @param confirmedLsn the slot's confirmed position as the relay last knew it (0 when unknown)
 * @param timeline the server's timeline when it was recorded (0 when unknown)
 * @param at when the record was written
 */
public record SlotHistoryRecord(Event event, long confirmedLsn, int timeline, Instant at) {

	private static final JsonMapper JSON = new JsonMapper();

	/** @return this record as the JSON value of the topic */
	public String toJson() {
		return JSON.createObjectNode()
			.put("event", this.event.name().toLowerCase())
			.put("confirmedLsn", LogSequenceNumber.valueOf(this.confirmedLsn).asString())
			.put("timeline", this.timeline)
			.put("at", this.at.toString())
			.toString();
	}

	/**
	 * Parses a value of the topic.
	 * @param json the value
	 * @return the record
	 * @throws IllegalArgumentException when the value is not a slot-history record
	 */
	public static SlotHistoryRecord parse(String json) {
		try {
			JsonNode node = JSON.readTree(json);
			return new SlotHistoryRecord(Event.valueOf(node.required("event").asString().toUpperCase()),
					LogSequenceNumber.valueOf(node.required("confirmedLsn").asString()).asLong(),
					node.path("timeline").asInt(0),
					Instant.parse(node.required("at").asString()));
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException("Not a slot-history record: " + json + " (" + ex.getMessage() + ")", ex);
		}
	}

	/** @return the confirmed position as PostgreSQL writes it, e.g. {@code 0/16B3748} */
	public String confirmedLsnText() {
		return LogSequenceNumber.valueOf(this.confirmedLsn).asString();
	}

	/**
	 * What a relay saw of the slot.
	 */
	public enum Event {

		/**
		 * The relay created the slot: from then on, events committed are the slot's to deliver.
		 */
		CREATED,

		/** A session started streaming the slot. */
		STREAMING,

		/** The confirmed position advanced while streaming. */
		CONFIRMED,

		/** A standby found the slot streamed by another relay. */
		STANDBY,

		/** The slot was created anew with {@code outbox.relay.allow-slot-recreation=true}. */
		RECREATED

	}

}
