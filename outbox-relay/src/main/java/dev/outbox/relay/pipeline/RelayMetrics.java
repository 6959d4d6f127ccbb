package dev.outbox.relay.pipeline;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
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
 * <li>{@code outbox.relay.confirmed.lsn} (gauge): the position last confirmable;</li>
 * <li>{@code outbox.relay.lag} (gauge, seconds; {@code outbox_relay_lag_seconds} in Prometheus):
 * now minus the commit time of the oldest transaction whose events Kafka has not all
 * acknowledged, 0 when nothing is pending or between sessions (see {@link CommitLag});</li>
 * <li>{@code outbox.relay.state} (gauge, tag {@code state}, one series per {@link RelayState}):
 * 1 for the relay's current state, 0 for every other;</li>
 * <li>{@code outbox.relay.failures} (counter): stops on a failure that needs an operator
 * ({@link RelayState#FAILED});</li>
 * <li>{@code outbox.relay.dead.letters} (counter): records Kafka acknowledged on the dead-letter
 * topic.</li>
 * </ul>
 * With several sources, every meter has the tag {@code source} (the source's name).
 * Kafka's own producer metrics ({@code kafka.producer.*}) are bound where the producer is built.
 * Every meter reads the relay's state; none drives it.
 * Slot figures ({@code outbox.relay.slot.retained.bytes}, {@code outbox.relay.slot.lag.bytes})
 * are published by {@link dev.outbox.relay.health.SlotMetrics}. Counters are updated on producer
 * threads; thread-safe.
 */
public final class RelayMetrics {

	private final MeterRegistry registry;

	private final Map<String, Counter> published = new ConcurrentHashMap<>();

	private final Timer commitToAck;

	private volatile @Nullable LsnCheckpoint checkpoint;

	private volatile @Nullable CommitLag lag;

	private final LongSupplier deadLetters;

	private final Tags tags;

	/**
	 * @param registry where meters go
	 * @param status the relay's state, for the state gauge and the failure counter
	 * @param deadLetters how many records the dead-letter topic acknowledged so far
	 */
	public RelayMetrics(MeterRegistry registry, RelayStatus status, LongSupplier deadLetters) {
		this(registry, status, deadLetters, Tags.empty());
	}

	/**
	 * @param registry where meters go
	 * @param status the relay's state, for the state gauge and the failure counter
	 * @param deadLetters how many records the dead-letter topic acknowledged so far
	 * @param tags tags of every meter (the {@code source} tag, when the relay streams sources)
	 */
	public RelayMetrics(MeterRegistry registry, RelayStatus status, LongSupplier deadLetters, Tags tags) {
		this.registry = registry;
		this.tags = tags;
		for (RelayState state : RelayState.values()) {
			Gauge.builder("outbox.relay.state", status, (current) -> (current.state() == state) ? 1 : 0)
				.description("1 for the relay's current state, 0 for the others")
				.tag("state", state.name())
				.tags(tags)
			.register(registry);
		}
		FunctionCounter.builder("outbox.relay.failures", status, RelayStatus::failures)
			.description("Stops on a failure that needs an operator")
			.tags(tags)
			.register(registry);
		// Read through this (a bean) rather than the supplier: meters hold their object weakly, the
		// supplier is a method reference nothing else holds, and a counter whose object was
		// collected reports its last reading forever.
		this.deadLetters = deadLetters;
		FunctionCounter.builder("outbox.relay.dead.letters", this, RelayMetrics::deadLetters)
			.description("Records acknowledged on the dead-letter topic")
			.tags(tags)
			.register(registry);
		Gauge.builder("outbox.relay.lag", this, RelayMetrics::lagSeconds)
			.description("Time since the commit of the oldest transaction not all acknowledged by Kafka")
			.baseUnit("seconds")
			.tags(tags)
			.register(registry);
		this.commitToAck = Timer.builder("outbox.relay.commit.to.ack")
			.description("Time from the transaction's commit to Kafka's acknowledgement")
			.publishPercentileHistogram()
			.tags(tags)
			.register(registry);
		Gauge.builder("outbox.relay.events.in.flight", this, RelayMetrics::inFlight)
			.description("Events sent to Kafka and not yet acknowledged")
			.tags(tags)
			.register(registry);
		Gauge.builder("outbox.relay.confirmed.lsn", this, RelayMetrics::confirmable)
			.description("WAL position the relay may confirm")
			.tags(tags)
			.register(registry);
	}

	void session(LsnCheckpoint current, CommitLag currentLag) {
		this.checkpoint = current;
		this.lag = currentLag;
	}

	void sessionEnded() {
		this.lag = null;
	}

	private double deadLetters() {
		return this.deadLetters.getAsLong();
	}

	private double lagSeconds() {
		LsnCheckpoint current = this.checkpoint;
		CommitLag currentLag = this.lag;
		if (current == null || currentLag == null) {
			return 0;
		}
		return currentLag.lagMillis(System.currentTimeMillis(), current.confirmableLsn(), current.inFlight()) / 1000.0;
	}

	void published(String topic, long commitMillis) {
		this.published
			.computeIfAbsent(topic,
					(name) -> Counter.builder("outbox.relay.events.published")
						.description("Events acknowledged by Kafka")
						.tag("topic", name)
						.tags(this.tags)
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
