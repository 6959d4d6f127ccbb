package dev.outbox.relay.health;

import java.time.Clock;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import dev.outbox.relay.RelayProperties;
import dev.outbox.relay.pipeline.RelayState;
import dev.outbox.relay.pipeline.RelayStatus;
import dev.outbox.relay.source.ConnectionSettings;
import dev.outbox.testsupport.PostgresTest;
import dev.outbox.testsupport.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The component {@code outboxRelay} against a real PostgreSQL, for each pipeline state it must not
 * report as UP.
 */
@PostgresTest
@Tag("pg-versions")
class OutboxRelayHealthIndicatorIntegrationTests {

	private SlotReader slots;

	@Test
	void startingRelayIsUnknownNotUp(TestDatabase database) {
		RelayStatus status = new RelayStatus(Clock.systemUTC());
		Health health = indicator(status, database).health(true);
		assertThat(health.getStatus()).as(health.toString()).isEqualTo(Status.UNKNOWN);
		assertThat(health.getDetails()).containsEntry("state", "starting");
	}

	@Test
	void streamingRelayWithoutItsSlotIsDown(TestDatabase database) {
		RelayStatus status = new RelayStatus(Clock.systemUTC());
		status.set(RelayState.STREAMING, null);
		Health health = indicator(status, database).health(true);
		assertThat(health.getStatus()).as(health.toString()).isEqualTo(Status.DOWN);
		assertThat(String.valueOf(health.getDetails().get("reason"))).contains("is missing");
	}

	private OutboxRelayHealthIndicator indicator(RelayStatus status, TestDatabase database) {
		RelayProperties properties = new RelayProperties();
		properties.setSlotName(database.uniqueName("health"));
		ConnectionSettings settings = new ConnectionSettings(database.jdbcUrl(), database.username(),
				database.password());
		this.slots = new SlotReader(settings, properties.getSlotName());
		return new OutboxRelayHealthIndicator(status, this.slots, properties);
	}

	@AfterEach
	void closeSlotReader() {
		if (this.slots != null) {
			this.slots.close();
		}
	}

}
