package dev.outbox.relay.health;

import java.util.Locale;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import dev.outbox.relay.pipeline.RelayState;
import dev.outbox.relay.pipeline.RelayStatus;

/**
 * Readiness of the relay, as the component {@code outboxRelayReadiness} of the {@code readiness}
 * health group: UP while the pipeline streams or stands by ({@link RelayState#isReady()}),
 * OUT_OF_SERVICE otherwise (starting, retrying, failed, stopped). It reads only the pipeline's
 * {@link RelayStatus}, so it answers at once. Liveness has no relay part: a relay that starts,
 * however long its snapshot, is alive.
 */
public final class RelayReadinessHealthIndicator implements HealthIndicator {

	private final RelayStatus status;

	/**
	 * @param status the pipeline's state
	 */
	public RelayReadinessHealthIndicator(RelayStatus status) {
		this.status = status;
	}

	@Override
	public Health health() {
		RelayState state = this.status.state();
		Health.Builder builder = state.isReady() ? Health.up() : Health.outOfService();
		return builder.withDetail("state", state.name().toLowerCase(Locale.ROOT)).build();
	}

}
