package dev.outbox.bench;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EventPayloadUnitTests {

	@Test
	void payloadIsAboutFourHundredBytes() {
		assertThat(EventPayload.size(EventPayload.json(0, 1_700_000_000_000_000L))).isEqualTo(EventPayload.SIZE);
		assertThat(EventPayload.size(EventPayload.json(999_999, 1_700_000_000_000_000L))).isEqualTo(EventPayload.SIZE);
	}

	@Test
	void sequenceAndClockReadBackFromTheWritersText() {
		byte[] value = EventPayload.json(123_456, 1_700_000_000_123_456L).getBytes(StandardCharsets.UTF_8);
		assertThat(EventPayload.seq(value)).isEqualTo(123_456);
		assertThat(EventPayload.micros(value)).isEqualTo(1_700_000_000_123_456L);
	}

	@Test
	void sequenceAndClockReadBackFromJsonbText() {
		// jsonb orders keys by length and writes ": " and ", "; compact JSON has neither space
		byte[] jsonb = "{\"s\": 42, \"t\": 17, \"pad\": \"x\"}".getBytes(StandardCharsets.UTF_8);
		byte[] compact = "{\"t\":17,\"s\":42,\"pad\":\"x\"}".getBytes(StandardCharsets.UTF_8);
		assertThat(EventPayload.seq(jsonb)).isEqualTo(42);
		assertThat(EventPayload.micros(jsonb)).isEqualTo(17);
		assertThat(EventPayload.seq(compact)).isEqualTo(42);
		assertThat(EventPayload.micros(compact)).isEqualTo(17);
	}

	@Test
	void missingKeyIsMinusOne() {
		byte[] value = "{\"pad\": \"s\"}".getBytes(StandardCharsets.UTF_8);
		assertThat(EventPayload.seq(value)).isEqualTo(-1);
		assertThat(EventPayload.micros("{\"t\": \"x\"}".getBytes(StandardCharsets.UTF_8))).isEqualTo(-1);
	}

}
