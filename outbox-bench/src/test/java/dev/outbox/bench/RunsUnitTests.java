package dev.outbox.bench;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RunsUnitTests {

	@Test
	void cpuSecondsOverARunAreSharesOfOneCoreInTheMapsOrder() {
		Map<String, Double> cpu = new LinkedHashMap<>();
		cpu.put("relay", 4.5);
		cpu.put("broker", 6.75);
		cpu.put("machine", 29.0);
		assertThat(Runs.Latency.cpuShares(cpu, 15)).isEqualTo("relay 30 %, broker 45 %, machine 193 %");
	}

}
