package dev.outbox.relay.pipeline;

import java.lang.ref.Reference;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RelayMetricsUnitTests {

	@Test
	void deadLetterCounterKeepsCountingAfterAGarbageCollection() {
		MeterRegistry registry = new SimpleMeterRegistry();
		AtomicLong deadLetters = new AtomicLong();
		// The relay passes a method reference that nothing else holds, as here, while the metrics
		// object itself is a bean: the meter must keep the supplier, or after the next collection
		// the counter reports its last reading forever.
		RelayMetrics metrics = new RelayMetrics(registry, new RelayStatus(Clock.systemUTC()), deadLetters::get);
		for (int i = 0; i < 3; i++) {
			System.gc();
		}
		deadLetters.set(2);
		assertThat(registry.get("outbox.relay.dead.letters").functionCounter().count()).isEqualTo(2);
		Reference.reachabilityFence(metrics);
	}

}
