package dev.outbox.relay.health;

import java.sql.Connection;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import dev.outbox.relay.source.SlotStatus;

/**
 * Publishes the slot's WAL figures as gauges, read from {@code pg_replication_slots} by
 * {@link #refresh()} (scheduled by the relay's configuration):
 * {@code outbox.relay.slot.retained.bytes} (WAL the slot keeps on disk: alert on it) and
 * {@code outbox.relay.slot.lag.bytes} (WAL written since the confirmed position).
 */
public final class SlotMetrics {

	private final DataSource dataSource;

	private final String slotName;

	private final AtomicLong retained = new AtomicLong();

	private final AtomicLong lag = new AtomicLong();

	/**
	 * @param dataSource ordinary connections
	 * @param slotName the slot
	 * @param registry where the gauges go
	 */
	public SlotMetrics(DataSource dataSource, String slotName, MeterRegistry registry) {
		this.dataSource = dataSource;
		this.slotName = slotName;
		Gauge.builder("outbox.relay.slot.retained.bytes", this.retained, AtomicLong::get)
			.description("WAL retained by the relay's replication slot")
			.baseUnit("bytes")
			.tag("slot", slotName)
			.register(registry);
		Gauge.builder("outbox.relay.slot.lag.bytes", this.lag, AtomicLong::get)
			.description("WAL written since the slot's confirmed position")
			.baseUnit("bytes")
			.tag("slot", slotName)
			.register(registry);
	}

	/**
	 * Reads the slot now; keeps the previous figures when PostgreSQL cannot be reached.
	 */
	public void refresh() {
		try (Connection connection = this.dataSource.getConnection()) {
			SlotStatus slot = SlotStatus.read(connection, this.slotName);
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
