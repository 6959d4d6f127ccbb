package dev.outbox.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SlowSecondsUnitTests {

	private static final long SECOND = 1_000_000;

	private static final long T = Instant.parse("2026-12-06T19:44:12Z").getEpochSecond() * SECOND;

	@Test
	void eachSlowSecondNamesThePausesFromItsStartToItsEndPlusItsWorstLatency() {
		WorstBySecond total = new WorstBySecond();
		WorstBySecond toBroker = new WorstBySecond();
		record(total, toBroker, T, 5_000, 4_000);
		record(total, toBroker, T + 3 * SECOND + 900_000, 180_000, 164_000); // 19:44:15.9, held until 16.08
		record(total, toBroker, T + 4 * SECOND, 9_000, 7_000);
		List<GcLog.Pause> pauses = List.of(pause("broker", "2026-12-06T19:44:16.050Z", 30),
				pause("relay", "2026-12-06T19:44:14.500Z", 3), pause("broker", "2026-12-06T19:44:17.500Z", 12));

		assertThat(SlowSeconds.describe(total, toBroker, pauses, (from, to) -> "", 2))
			.isEqualTo("19:44:15 180 ms (164 to broker): broker 30.0 ms at 16.050; 19:44:16 9 ms (7 to broker): "
					+ "broker 30.0 ms at 16.050");
	}

	@Test
	void aSlowSecondWithoutAPauseSaysSoAndGivesTheWaitsForACpuInItsWindow() {
		WorstBySecond total = new WorstBySecond();
		WorstBySecond toBroker = new WorstBySecond();
		record(total, toBroker, T, 61_000, 60_000);
		List<Instant> asked = new ArrayList<>();

		assertThat(SlowSeconds.describe(total, toBroker, List.of(pause("broker", "2026-12-06T19:44:30Z", 50)),
				(from, to) -> {
					asked.addAll(List.of(from, to));
					return "relay 41 ms, broker 120 ms";
				}, 3))
			.isEqualTo("19:44:12 61 ms (60 to broker): no GC pause, waited for a CPU: relay 41 ms, broker 120 ms");
		assertThat(asked).containsExactly(Instant.parse("2026-12-06T19:44:12Z"), Instant.parse("2026-12-06T19:44:13.061Z"));
	}

	@Test
	void theSummaryCountsEachProcesssPausesInTheRunAndItsLongest() {
		Map<String, List<GcLog.Pause>> pauses = new LinkedHashMap<>();
		pauses.put("relay", List.of(pause("relay", "2026-12-06T19:44:13Z", 3), pause("relay", "2026-12-06T19:44:40Z", 90)));
		pauses.put("broker", List.of(pause("broker", "2026-12-06T19:44:14Z", 23.9), pause("broker", "2026-12-06T19:44:15Z", 54.1)));
		pauses.put("harness", List.of());

		assertThat(SlowSeconds.summary(pauses, Instant.parse("2026-12-06T19:44:12Z"), Instant.parse("2026-12-06T19:44:27Z")))
			.isEqualTo("relay 1 (max 3.0 ms), broker 2 (max 54.1 ms), harness 0 (max 0.0 ms)");
	}

	private static void record(WorstBySecond total, WorstBySecond toBroker, long commitMicros, long micros,
			long toBrokerMicros) {
		total.record(commitMicros, micros);
		toBroker.record(commitMicros, toBrokerMicros);
	}

	private static GcLog.Pause pause(String process, String start, double millis) {
		return new GcLog.Pause(process, "Pause Young", Instant.parse(start), Duration.ofNanos((long) (millis * 1e6)));
	}

}
