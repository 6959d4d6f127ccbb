package dev.outbox.relay.pipeline;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

import dev.outbox.relay.checkpoint.LsnCheckpoint;

/**
 * The relay's Micrometer meters:
 * <ul>
 * <li>{@code outbox.relay.events.published} (counter, tag {@code topic});</li>
 * <li>{@code outbox.relay.commit.to.ack} (timer): from the transaction's commit to Kafka's
 * acknowledgement;</li>
 * <li>{@code outbox.relay.events.in.flight} (gauge): sent, not yet acknowledged;</li>
 * <li>{@code outbox.relay.confirmed.lsn} (gauge): the position last confirmable.</li>
 * </ul>
 * Slot figures ({@code outbox.relay.slot.retained.bytes}, {@code outbox.relay.slot.lag.bytes})
 * are published by {@link dev.outbox.relay.health.SlotMetrics}. Counters are updated on producer
 * threads; thread-safe.
 */
public final class RelayMetrics {

	private final MeterRegistry registry;

	private final Map<String, Counter> published = new ConcurrentHashMap<>();

	private final Timer commitToAck;

	private volatile @Nullable LsnCheckpoint checkpoint;

	/**
	 * @param registry where meters go
	 */
	public RelayMetrics(MeterRegistry registry) {
		this.registry = registry;
		this.commitToAck = Timer.builder("outbox.relay.commit.to.ack")
			.description("Time from the transaction's commit to Kafka's acknowledgement")
			.publishPercentileHistogram()
			.register(registry);
		Gauge.builder("outbox.relay.events.in.flight", this, RelayMetrics::inFlight)
			.description("Events sent to Kafka and not yet acknowledged")
			.register(registry);
		Gauge.builder("outbox.relay.confirmed.lsn", this, RelayMetrics::confirmable)
			.description("WAL position the relay may confirm")
			.register(registry);
	}

	void checkpoint(LsnCheckpoint current) {
		this.checkpoint = current;
	}

	void published(String topic, long commitMillis) {
		this.published
			.computeIfAbsent(topic,
					(name) -> Counter.builder("outbox.relay.events.published")
						.description("Events acknowledged by Kafka")
						.tag("topic", name)
						.register(this.registry))
			.increment();
		if (commitMillis > 0) {
			this.commitToAck.record(Duration.ofMillis(Math.max(0, System.currentTimeMillis() - commitMillis)));
		}
	}

	private double inFlight() {
		LsnCheckpoint current = this.checkpoint;
		return (current != null) ? current.inFlight() : 0;
	}

	private double confirmable() {
		LsnCheckpoint current = this.checkpoint;
		return (current != null) ? current.confirmableLsn() : 0;
	}

}
