package dev.outbox.relay.source;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import dev.outbox.relay.event.InvalidOutboxRowException;
import dev.outbox.relay.event.OutboxRow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Message content to outbox row: the fields of the contract, the payload and headers as the exact
 * text the writer wrote, and a clear refusal of everything the contract refuses.
 */
class EventMessageReaderUnitTests {

	private static final String PREFIX = "outbox:public.outbox_event";

	private static final Instant COMMIT_TIME = Instant.parse("2026-12-05T10:00:00.123456Z");

	private static final long LSN = 0x1_6B37_4800L;

	private final EventMessageReader reader = new EventMessageReader(PREFIX);

	@Test
	void everyFieldIsReadAndTheTimestampIsTheCommitTime() {
		OutboxRow row = read("{\"id\":\"e-1\",\"aggregate_type\":\"order\",\"aggregate_id\":\"o-42\","
				+ "\"event_type\":\"OrderPlaced\",\"payload\":{\"total\": 12.5, \"lines\": [\"ü\", {\"n\": null}]},"
				+ "\"headers\":{\"tenant\":\"acme\",\"n\":1}}");

		assertThat(row).isEqualTo(new OutboxRow("e-1", "order", "o-42", "OrderPlaced",
				"{\"total\": 12.5, \"lines\": [\"ü\", {\"n\": null}]}", "{\"tenant\":\"acme\",\"n\":1}", COMMIT_TIME,
				LSN));
	}

	@Test
	void payloadOfAnyJsonKindIsItsExactText() {
		String[] payloads = { "\"a \\\"quoted\\\" ü\"", "-12.5e3", "true", "null", "[1, [2], {}]", "{}", "0" };
		for (String payload : payloads) {
			OutboxRow row = read("{\"payload\": " + payload + " , \"id\":\"e\",\"aggregate_type\":\"t\","
					+ "\"aggregate_id\":\"a\",\"event_type\":\"E\"}");

			assertThat(row.payload()).as(payload).isEqualTo(payload);
			OutboxRow last = read("{\"id\":\"e\",\"aggregate_type\":\"t\",\"aggregate_id\":\"a\",\"event_type\":\"E\","
					+ "\"payload\":" + payload + "}");
			assertThat(last.payload()).as(payload + " as the last field").isEqualTo(payload);
		}
	}

	@Test
	void headersMayBeAbsentOrNull() {
		assertThat(read(minimal("")).headers()).isNull();
		assertThat(read(minimal(",\"headers\":null")).headers()).isNull();
	}

	@Test
	void schemaVersionIsReadWhenPresentAndMayBeAbsentOrNull() {
		assertThat(read(minimal(",\"schema_version\":3")).schemaVersion()).isEqualTo(3);
		assertThat(read(minimal("")).schemaVersion()).isNull();
		assertThat(read(minimal(",\"schema_version\":null")).schemaVersion()).isNull();
	}

	@Test
	void schemaVersionThatIsNotAnIntegerFromOneIsRefusedNamingIt() {
		for (String value : new String[] { "0", "-1", "1.5", "\"2\"", "99999999999", "{}" }) {
			assertRefused(minimal(",\"schema_version\":" + value), "field schema_version must be an integer from 1");
		}
	}

	@Test
	void contentThatIsNotJsonIsRefusedNamingTheLsn() {
		assertRefused("{\"id\": ", "is not valid JSON");
		assertRefused("not json", "is not valid JSON");
		assertRefused("", "is not a JSON object");
	}

	@Test
	void contentThatIsNotAnObjectIsRefused() {
		assertRefused("[1, 2]", "the content is not a JSON object");
		assertRefused("\"text\"", "the content is not a JSON object");
	}

	@Test
	void missingRequiredFieldIsRefusedNamingIt() {
		assertRefused("{\"id\":\"e\",\"aggregate_type\":\"t\",\"aggregate_id\":\"a\",\"payload\":1}",
				"required field event_type is missing");
		assertRefused("{\"id\":\"e\",\"aggregate_type\":\"t\",\"aggregate_id\":\"a\",\"event_type\":\"E\"}",
				"required field payload is missing");
	}

	@Test
	void emptyOrNonStringOrTooLongRequiredFieldIsRefusedNamingIt() {
		assertRefused(minimal("").replace("\"aggregate_id\":\"a\"", "\"aggregate_id\":\"\""),
				"field aggregate_id is empty");
		assertRefused(minimal("").replace("\"aggregate_id\":\"a\"", "\"aggregate_id\":42"),
				"field aggregate_id must be a string, but is a number");
		assertRefused(minimal("").replace("\"id\":\"e\"", "\"id\":null"), "field id must be a string, but is null");
		assertRefused(minimal("").replace("\"event_type\":\"E\"", "\"event_type\":\"" + "x".repeat(256) + "\""),
				"field event_type has more than 255 characters");
	}

	@Test
	void twoHundredFiftyFiveCharactersBeyondTheBasicPlaneAreAccepted() {
		String type = "😀".repeat(255);

		assertThat(read(minimal("").replace("\"event_type\":\"E\"", "\"event_type\":\"" + type + "\"")).eventType())
			.isEqualTo(type);
	}

	@Test
	void unknownOrRepeatedFieldIsRefusedNamingIt() {
		assertRefused(minimal(",\"paylod\":{}"), "unknown field paylod");
		assertRefused(minimal(",\"id\":\"again\""), "field id appears twice");
	}

	@Test
	void headersThatAreNotAnObjectAreRefused() {
		assertRefused(minimal(",\"headers\":[\"a\"]"), "field headers must be a JSON object");
		assertRefused(minimal(",\"headers\":\"a=b\""), "field headers must be a JSON object");
	}

	@Test
	void contentAfterTheObjectIsRefused() {
		assertRefused(minimal("") + " {}", "more after its JSON object");
	}

	private static String minimal(String more) {
		return "{\"id\":\"e\",\"aggregate_type\":\"t\",\"aggregate_id\":\"a\",\"event_type\":\"E\",\"payload\":{}"
				+ more + "}";
	}

	private OutboxRow read(String content) {
		return this.reader.read(content.getBytes(StandardCharsets.UTF_8), COMMIT_TIME, LSN);
	}

	private void assertRefused(String content, String problem) {
		assertThatExceptionOfType(InvalidOutboxRowException.class).as(content).isThrownBy(() -> read(content))
			.withMessageContaining("Message under prefix " + PREFIX + " at LSN 1/6B374800: ")
			.withMessageContaining(problem)
			.withMessageContaining("fix the writer");
	}

}
