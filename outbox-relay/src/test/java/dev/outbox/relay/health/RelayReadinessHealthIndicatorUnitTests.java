package dev.outbox.relay.health;

import java.time.Clock;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import dev.outbox.relay.pipeline.RelayState;
import dev.outbox.relay.pipeline.RelayStatus;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Readiness is UP for a relay that streams or stands by, and OUT_OF_SERVICE in every other state.
 */
class RelayReadinessHealthIndicatorUnitTests {

	@ParameterizedTest
	@EnumSource(value = RelayState.class, names = { "STREAMING", "STANDBY" })
	void streamingOrStandingByIsReady(RelayState state) {
		assertThat(readiness(state).getStatus()).isEqualTo(Status.UP);
	}

	@ParameterizedTest
	@EnumSource(value = RelayState.class, names = { "STREAMING", "STANDBY" }, mode = EnumSource.Mode.EXCLUDE)
	void everyOtherStateIsOutOfService(RelayState state) {
		Health health = readiness(state);
		assertThat(health.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
		assertThat(health.getDetails()).containsEntry("state", state.name().toLowerCase(java.util.Locale.ROOT));
	}

	private static Health readiness(RelayState state) {
		RelayStatus status = new RelayStatus(Clock.systemUTC());
		status.set(state, null);
		return new RelayReadinessHealthIndicator(status).health(true);
	}

}
