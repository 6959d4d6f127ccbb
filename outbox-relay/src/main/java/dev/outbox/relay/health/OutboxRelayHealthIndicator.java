package dev.outbox.relay.health;

import java.sql.SQLException;
import java.time.Duration;

import org.postgresql.replication.LogSequenceNumber;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import dev.outbox.contract.SlotHealth;
import dev.outbox.contract.SlotHealthRule;
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
 * slot query within {@link SlotReader#TIMEOUT}; the slot is missing; {@link SlotHealthRule} says
 * DOWN (the slot is invalidated, its {@code invalidationCause} detail says why, or retained WAL reaches {@code outbox.relay.retained-wal-critical});
 * or the relay has been RETRYING, or Kafka has not acknowledged waiting events, for longer than
 * {@code outbox.relay.kafka-unavailable-grace}.</li>
 * <li>{@value #WARNING_CODE}: {@link SlotHealthRule} says WARNING ({@code wal_status=unreserved}, or
 * retained WAL reaches {@code outbox.relay.retained-wal-warning}), and nothing above holds.</li>
 * <li>UNKNOWN while the relay is STARTING (checking PostgreSQL and Kafka, creating the slot,
 * publishing the snapshot): it has not proved it can stream yet.</li>
 * <li>UP otherwise, including STANDBY: a standby is healthy, it waits to take over.</li>
 * </ul>
 * The slot's own levels come from {@link SlotHealthRule}, the rule the starter's {@code outbox}
 * indicator applies too; what is the relay's alone stays here: the pipeline's state, and a missing
 * slot not counting while the relay is STARTING (it is about to create it).
 * It reads the pipeline's {@link RelayStatus} and queries {@code pg_replication_slots} through a
 * {@link SlotReader}, so it answers within {@link SlotReader#TIMEOUT}; it never drives the
 * pipeline. PostgreSQL's reachability is reported here: Boot's own {@code db} indicator, which has no
 * time bound, is turned off.
 */
public final class OutboxRelayHealthIndicator extends AbstractHealthIndicator {

	/** Status code of a relay whose slot retains more WAL than the warning threshold. */
	public static final String WARNING_CODE = "WARNING";

	private static final Status WARNING = new Status(WARNING_CODE,
			"retained WAL at or above the warning threshold, or the slot unreserved");

	private final RelayStatus status;

	private final SlotQuery slots;

	private final RelayProperties properties;

	/**
	 * @param status the pipeline's state
	 * @param slots reads the slot within a time bound
	 * @param properties thresholds and names
	 */
	public OutboxRelayHealthIndicator(RelayStatus status, SlotQuery slots, RelayProperties properties) {
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
			.withDetail("invalidationCause", slot.facts().invalidationLabel())
			.withDetail("safeWalSize", (slot.safeWalSize() != null) ? slot.safeWalSize() : "unlimited");
		SlotHealth health = SlotHealthRule.evaluate(slot.facts(), this.properties.getRetainedWalWarning().toBytes(),
				this.properties.getRetainedWalCritical().toBytes());
		if (health.level() == SlotHealth.Level.DOWN) {
			builder.down().withDetail("reason", reason(health, slot));
		}
		else if (health.level() == SlotHealth.Level.WARNING && isUp(builder)) {
			builder.status(WARNING).withDetail("reason", reason(health, slot));
		}
	}

	private String reason(SlotHealth health, SlotStatus slot) {
		return switch (health.cause()) {
			case LOST -> ReplicationSetup.lostMessage(slot.slotName(), slot.invalidation());
			case RETAINED_WAL_CRITICAL ->
				health.reason() + ": outbox.relay.retained-wal-critical=" + this.properties.getRetainedWalCritical();
			case RETAINED_WAL_WARNING ->
				health.reason() + ": outbox.relay.retained-wal-warning=" + this.properties.getRetainedWalWarning();
			case UNRESERVED, NONE -> String.valueOf(health.reason());
		};
	}

	private static boolean isUp(Health.Builder builder) {
		return Status.UP.equals(builder.build().getStatus());
	}

}
