package dev.outbox.relay.health;

import java.time.Clock;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.util.unit.DataSize;

import dev.outbox.relay.RelayProperties;
import dev.outbox.relay.pipeline.RelayState;
import dev.outbox.relay.pipeline.RelayStatus;
import dev.outbox.relay.source.SlotStatus;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The slot-health edges of the component {@code outboxRelay}, for a streaming relay: the same as the
 * starter's {@code outbox} indicator, because both apply {@code dev.outbox.contract.SlotHealthRule}.
 */
class OutboxRelayHealthIndicatorUnitTests {

	private static final long WARNING = DataSize.ofMegabytes(1).toBytes();

	private static final long CRITICAL = DataSize.ofMegabytes(3).toBytes();

	private static final long RESTART_LSN = 0x1000000L;

	@Test
	void slotRetainingExactlyTheWarningThresholdIsWarning() {
		Health health = health(slot("reserved", WARNING));
		assertThat(health.getStatus().getCode()).as(health.toString()).isEqualTo(OutboxRelayHealthIndicator.WARNING_CODE);
	}

	@Test
	void slotRetainingOneByteLessThanTheWarningThresholdIsUp() {
		Health health = health(slot("reserved", WARNING - 1));
		assertThat(health.getStatus()).as(health.toString()).isEqualTo(Status.UP);
	}

	@Test
	void slotRetainingExactlyTheCriticalThresholdIsDown() {
		Health health = health(slot("reserved", CRITICAL));
		assertThat(health.getStatus()).as(health.toString()).isEqualTo(Status.DOWN);
		assertThat(String.valueOf(health.getDetails().get("reason"))).contains("outbox.relay.retained-wal-critical");
	}

	@Test
	void unreservedSlotBelowTheWarningThresholdIsWarning() {
		Health health = health(slot("unreserved", 0));
		assertThat(health.getStatus().getCode()).as(health.toString()).isEqualTo(OutboxRelayHealthIndicator.WARNING_CODE);
	}

	@Test
	void lostSlotBelowTheWarningThresholdIsDownNamingTheLoss() {
		Health health = health(slot("lost", 0));
		assertThat(health.getStatus()).as(health.toString()).isEqualTo(Status.DOWN);
		assertThat(String.valueOf(health.getDetails().get("reason"))).contains("lost");
	}

	@Test
	void slotInvalidatedByIdleTimeoutIsDownNamingTheCauseAndItsSetting() {
		Health health = health(slot("lost", 0, "idle_timeout"));
		assertThat(health.getStatus()).as(health.toString()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("invalidationCause", "idle_timeout");
		assertThat(String.valueOf(health.getDetails().get("reason"))).contains("cause idle_timeout")
			.contains("idle_replication_slot_timeout")
			.contains("allow-slot-recreation");
	}

	@Test
	void validSlotHasNoInvalidationCause() {
		assertThat(health(slot("reserved", 0)).getDetails()).containsEntry("invalidationCause", "none");
	}

	private static SlotStatus slot(@Nullable String walStatus, long retained) {
		return slot(walStatus, retained, null);
	}

	private static SlotStatus slot(@Nullable String walStatus, long retained, @Nullable String cause) {
		return new SlotStatus("outbox_relay", "pgoutput", "orders", true, 42, walStatus, RESTART_LSN, RESTART_LSN,
				null, RESTART_LSN + retained, retained, cause, false);
	}

	private static Health health(SlotStatus slot) {
		RelayStatus status = new RelayStatus(Clock.systemUTC());
		status.set(RelayState.STREAMING, null);
		RelayProperties properties = new RelayProperties();
		properties.setRetainedWalWarning(DataSize.ofBytes(WARNING));
		properties.setRetainedWalCritical(DataSize.ofBytes(CRITICAL));
		return new OutboxRelayHealthIndicator(status, () -> slot, properties).health(true);
	}

}
