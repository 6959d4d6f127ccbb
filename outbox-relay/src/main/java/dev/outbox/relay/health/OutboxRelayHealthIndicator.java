package dev.outbox.relay.health;

import java.sql.SQLException;
import java.time.Duration;

import org.postgresql.replication.LogSequenceNumber;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import dev.outbox.relay.RelayProperties;
import dev.outbox.relay.pipeline.RelayState;
import dev.outbox.relay.pipeline.RelayStatus;
import dev.outbox.relay.source.ReplicationSetup;
import dev.outbox.relay.source.SlotStatus;

/**
 * Health of the relay, as the component {@code outboxRelay}: the pipeline's state and the slot's
 * WAL retention.
 * <p>
 * Status rules, from worst:
 * <ul>
 * <li>DOWN: the pipeline FAILED (rejected record, lost slot); PostgreSQL does not answer the
 * slot query within {@link SlotReader#TIMEOUT}; the slot is missing or
 * {@code wal_status=lost}; retained WAL is above {@code outbox.relay.retained-wal-critical}; or
 * the relay has been RETRYING, or Kafka has not acknowledged waiting events, for longer than
 * {@code outbox.relay.kafka-unavailable-grace}.</li>
 * <li>{@value #WARNING_CODE}: retained WAL above {@code outbox.relay.retained-wal-warning}.</li>
 * <li>UNKNOWN while the relay is STARTING (checking PostgreSQL and Kafka, creating the slot,
 * publishing the snapshot): it has not proved it can stream yet.</li>
 * <li>UP otherwise, including STANDBY: a standby is healthy, it waits to take over.</li>
 * </ul>
 * It reads the pipeline's {@link RelayStatus} and queries {@code pg_replication_slots} through a
 * {@link SlotReader}, so it answers within {@link SlotReader#TIMEOUT}; it never drives the
 * pipeline. PostgreSQL's reachability is reported here: Boot's own {@code db} indicator, which has no
 * time bound, is turned off.
 */
public final class OutboxRelayHealthIndicator extends AbstractHealthIndicator {

	/** Status code of a relay whose slot retains more WAL than the warning threshold. */
	public static final String WARNING_CODE = "WARNING";

	private static final Status WARNING = new Status(WARNING_CODE, "retained WAL above the warning threshold");

	private final RelayStatus status;

	private final SlotReader slots;

	private final RelayProperties properties;

	/**
	 * @param status the pipeline's state
	 * @param slots reads the slot within a time bound
	 * @param properties thresholds and names
	 */
	public OutboxRelayHealthIndicator(RelayStatus status, SlotReader slots, RelayProperties properties) {
		super("Outbox relay health check failed");
		this.status = status;
		this.slots = slots;
		this.properties = properties;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) throws Exception {
		RelayState state = this.status.state();
		Duration grace = this.properties.getKafkaUnavailableGrace();
		Duration inState = Duration.between(this.status.since(), java.time.Instant.now());
		Duration kafkaStall = this.status.kafkaStall();
		builder.withDetail("slot", this.properties.getSlotName())
			.withDetail("state", state.name().toLowerCase(java.util.Locale.ROOT))
			.withDetail("stateSince", this.status.since().toString());
		if (this.status.message() != null) {
			builder.withDetail("message", this.status.message());
		}
		if (this.status.failedEventId() != null) {
			builder.withDetail("failedEventId", this.status.failedEventId())
				.withDetail("failedLsn", LogSequenceNumber.valueOf(this.status.failedLsn()).asString());
		}
		if (!kafkaStall.isZero()) {
			builder.withDetail("kafkaUnacknowledgedFor", kafkaStall.toString());
		}
		if (state == RelayState.STARTING) {
			builder.unknown();
		}
		else {
			builder.up();
		}
		if (state == RelayState.FAILED) {
			builder.down();
		}
		else if ((state == RelayState.RETRYING && inState.compareTo(grace) > 0) || kafkaStall.compareTo(grace) > 0) {
			builder.down().withDetail("reason", "unavailable for longer than outbox.relay.kafka-unavailable-grace ("
					+ grace + ")");
		}
		SlotStatus slot;
		try {
			slot = this.slots.read();
		}
		catch (SQLException ex) {
			builder.down().withDetail("reason", String.valueOf(ex.getMessage()));
			return;
		}
		if (slot == null) {
			if (state != RelayState.STARTING) {
				builder.down().withDetail("reason", "replication slot " + this.properties.getSlotName() + " is missing");
			}
			return;
		}
		long retained = slot.retainedBytes();
		builder.withDetail("active", slot.active())
			.withDetail("confirmedLsn", LogSequenceNumber.valueOf(slot.confirmedFlushLsn()).asString())
			.withDetail("retainedWalBytes", retained)
			.withDetail("lagBytes", slot.lagBytes())
			.withDetail("walStatus", String.valueOf(slot.walStatus()))
			.withDetail("safeWalSize", (slot.safeWalSize() != null) ? slot.safeWalSize() : "unlimited");
		if (slot.isLost()) {
			builder.down().withDetail("reason", ReplicationSetup.lostMessage(slot.slotName()));
		}
		else if (retained > this.properties.getRetainedWalCritical().toBytes()) {
			builder.down().withDetail("reason", "retained WAL above outbox.relay.retained-wal-critical ("
					+ this.properties.getRetainedWalCritical() + ")");
		}
		else if (retained > this.properties.getRetainedWalWarning().toBytes() && isUp(builder)) {
			builder.status(WARNING);
		}
	}

	private static boolean isUp(Health.Builder builder) {
		return Status.UP.equals(builder.build().getStatus());
	}

}
