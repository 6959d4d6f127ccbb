package dev.outbox.bench;

import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

class ProducerPerfUnitTests {

	@Test
	void readsTheFinalSummaryNotTheProgressLines() throws IOException {
		List<String> output = List.of(
				"1394586 records sent, 278861.7 records/sec (106.38 MB/sec), 75.2 ms avg latency, 460.0 ms max latency.",
				"13:38:23.517 [main] INFO org.apache.kafka.common.utils.AppInfoParser -- App info kafka.producer unregistered",
				"1000000 records sent, 330578.5 records/sec (126.11 MB/sec), 43.99 ms avg latency, 460.00 ms max latency, "
						+ "33 ms 50th, 126 ms 95th, 164 ms 99th, 179 ms 99.9th.");
		ProducerPerf.Result result = ProducerPerf.parse(output);
		assertThat(result.records()).isEqualTo(1_000_000);
		assertThat(result.recordsPerSecond()).isEqualTo(330_578.5);
		assertThat(result.megabytesPerSecond()).isEqualTo(126.11);
		assertThat(result.p50LatencyMs()).isEqualTo(33);
		assertThat(result.p99LatencyMs()).isEqualTo(164);
	}

	@Test
	void noSummaryIsAnError() {
		assertThatIOException().isThrownBy(() -> ProducerPerf.parse(List.of("Exception in thread main")));
	}

}
