package dev.outbox.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RunQueueWaitsUnitTests {

	@Test
	void givesEachLiveProcesssWaitBetweenTheSamplesAroundAWindowAndLeavesOutUnknownPids() throws Exception {
		Map<String, Long> pids = new LinkedHashMap<>();
		pids.put("harness", ProcessHandle.current().pid());
		pids.put("walsender", 0L);
		RunQueueWaits waits = new RunQueueWaits(pids);
		Instant from = Instant.now();
		Instant to = Instant.now();
		waits.close();

		assertThat(waits.waited(from, to)).matches("harness \\d+ ms");
		assertThat(waits.waitedPerSecond(from, to)).matches("harness \\d+ ms");
	}

	@Test
	void aWindowAtTheRunsEndsIsReadBetweenTheNearestSamplesInsideIt() throws Exception {
		RunQueueWaits waits = new RunQueueWaits(Map.of("harness", ProcessHandle.current().pid()));
		Instant after = Instant.now().plusSeconds(60);
		waits.close();

		assertThat(waits.waited(Instant.now().minusSeconds(60), after)).matches("harness \\d+ ms");
	}

	@Test
	void aWindowBeforeTheFirstSampleHasNoFigures() throws Exception {
		Instant before = Instant.now().minus(Duration.ofSeconds(5));
		RunQueueWaits waits = new RunQueueWaits(Map.of("harness", ProcessHandle.current().pid()));
		waits.close();

		assertThat(waits.waited(before, before.plusSeconds(1))).isEmpty();
	}

}
