package dev.outbox.relay.health;

import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import dev.outbox.relay.source.SlotStatus;

/**
 * Publishes the slot's WAL figures as gauges, read from {@code pg_replication_slots} by
 * {@link #refresh()} (scheduled by the relay's configuration) through the health's
 * {@link SlotReader}, so that a silent PostgreSQL holds neither the scheduler nor a pooled
 * connection:
 * {@code outbox.relay.slot.retained.bytes} (WAL the slot keeps on disk: alert on it) and
 * {@code outbox.relay.slot.lag.bytes} (WAL written since the confirmed position).
 */
public final class SlotMetrics {

	private final SlotReader slots;

	private final AtomicLong retained = new AtomicLong();

	private final AtomicLong lag = new AtomicLong();

	/**
	 * @param slots reads the slot within a time bound
	 * @param slotName the slot, as the gauges' tag
	 * @param registry where the gauges go
	 */
	public SlotMetrics(SlotReader slots, String slotName, MeterRegistry registry) {
		this(slots, slotName, registry, Tags.empty());
	}

	/**
	 * @param slots reads the slot within a time bound
	 * @param slotName the slot, as the gauges' tag
	 * @param registry where the gauges go
	 * @param tags further tags (the {@code source} tag)
	 */
	public SlotMetrics(SlotReader slots, String slotName, MeterRegistry registry, Tags tags) {
		this.slots = slots;
		Gauge.builder("outbox.relay.slot.retained.bytes", this.retained, AtomicLong::get)
			.description("WAL retained by the relay's replication slot")
			.baseUnit("bytes")
			.tag("slot", slotName)
			.tags(tags)
			.register(registry);
		Gauge.builder("outbox.relay.slot.lag.bytes", this.lag, AtomicLong::get)
			.description("WAL written since the slot's confirmed position")
			.baseUnit("bytes")
			.tag("slot", slotName)
			.tags(tags)
			.register(registry);
	}

	/**
	 * Reads the slot now; keeps the previous figures when PostgreSQL does not answer.
	 */
	public void refresh() {
		try {
			SlotStatus slot = this.slots.read();
			if (slot != null) {
				this.retained.set(slot.retainedBytes());
				this.lag.set(slot.lagBytes());
			}
		}
		catch (Exception ex) {
			// health reports the outage; the gauges keep their last reading
		}
	}

}
