package dev.outbox.relay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;

import dev.outbox.testsupport.ThrowawayPostgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A slot that is dropped or invalidated ({@code wal_status = lost}) means PostgreSQL no longer
 * keeps WAL the relay had not read: the relay turns health DOWN with a loud message and never
 * quietly recreates the slot past the lost data.
 */
@Tag("pg-versions")
class RelaySlotLossIntegrationTests extends RelayIntegrationTestSupport {


	@Test
	void slotDroppedWhileStreamingTurnsHealthDownAndIsNotRecreated() {
		ConfigurableApplicationContext relay = this.fixture.startRelay();
		List<String> before = this.fixture.writeTransaction("loss", "agg-1", 3);
		try (KafkaConsumer<String, String> consumer = this.fixture.consumer(this.fixture.topic("loss"))) {
			RelayFixture.pollUntil(consumer, new ArrayList<>(), (all) -> all.size() >= before.size(),
					Duration.ofSeconds(60));
		}
		// The relay reconnects after its walsender is terminated; drop the slot in between.
		await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
			this.fixture.execute("SELECT pg_terminate_backend(active_pid, 5000) FROM pg_replication_slots "
					+ "WHERE slot_name = '" + this.fixture.slot + "' AND active_pid IS NOT NULL");
			this.fixture.execute("SELECT pg_drop_replication_slot('" + this.fixture.slot + "')");
			return true;
		});
		HealthIndicator health = relay.getBean("outboxRelay", HealthIndicator.class);
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			Health current = health.health(true);
			assertThat(current.getStatus()).isEqualTo(Status.DOWN);
			assertThat(current.getDetails()).containsEntry("state", "failed");
			assertThat(String.valueOf(current.getDetails().get("message")))
				.contains("Replication slot " + this.fixture.slot + " was dropped while the relay used it")
				.contains("will not recreate the slot");
		});
		await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> !this.fixture.slotExists());
		assertThat(health.health(true).getStatus()).isEqualTo(Status.DOWN);
	}

	@Test
	void restartedRelayDoesNotRecreateASlotDroppedWhileItWasStoppedUntilRecreationIsAllowed() {
		ConfigurableApplicationContext first = this.fixture.startRelay();
		await().atMost(Duration.ofSeconds(30)).until(this.fixture::slotExists);
		first.close();
		this.fixture.execute("SELECT pg_drop_replication_slot('" + this.fixture.slot + "')");

		ConfigurableApplicationContext restarted = this.fixture.startRelay();
		HealthIndicator health = restarted.getBean("outboxRelay", HealthIndicator.class);
		Health current = health.health(true);
		assertThat(current.getStatus()).isEqualTo(Status.DOWN);
		assertThat(current.getDetails()).containsEntry("state", "failed");
		assertThat(String.valueOf(current.getDetails().get("message"))).contains("was dropped")
			.contains("outbox.relay.allow-slot-recreation=true");
		assertThat(this.fixture.slotExists()).isFalse();
		restarted.close();

		ConfigurableApplicationContext cleared = this.fixture.startRelay("outbox.relay.allow-slot-recreation=true");
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
				cleared.getBean("outboxRelay", HealthIndicator.class).health(true).getDetails())
			.containsEntry("state", "streaming"));
		assertThat(this.fixture.slotExists()).isTrue();
	}

	@Test
	void relayStartedAgainstAnInvalidatedSlotTurnsHealthDownWithWalStatusLostAndKeepsTheSlot() {
		// A tiny max_slot_wal_keep_size would invalidate other tests' slots: use a cluster of our own.
		try (ThrowawayPostgres cluster = ThrowawayPostgres.start("slot-lost",
				Map.of("wal_level", "logical", "max_slot_wal_keep_size", "1MB", "max_replication_slots", "4",
						"max_wal_senders", "4"))) {
			String slot = this.fixture.slot;
			cluster.execute(tableContract());
			cluster.execute("CREATE TABLE churn (id bigserial PRIMARY KEY, note text)");
			cluster.execute("SELECT pg_create_logical_replication_slot('" + slot + "', 'pgoutput')");
			// While no relay runs: write WAL past max_slot_wal_keep_size, then let a checkpoint
			// remove the segments the slot still needs.
			await().atMost(Duration.ofSeconds(60)).until(() -> {
				cluster.execute("INSERT INTO churn (note) SELECT repeat('x', 100) FROM generate_series(1, 1000); "
						+ "SELECT pg_switch_wal(); CHECKPOINT;");
				return "lost".equals(walStatus(cluster, slot));
			});

			List<String> settings = new ArrayList<>(List.of(cluster.springDataSourceProperties()));
			settings.add("outbox.relay.slot-name=" + slot);
			ConfigurableApplicationContext relay = this.fixture.startRelayOverriding(settings.toArray(String[]::new));
			HealthIndicator health = relay.getBean("outboxRelay", HealthIndicator.class);
			await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
				Health current = health.health(true);
				assertThat(current.getStatus()).isEqualTo(Status.DOWN);
				assertThat(current.getDetails()).containsEntry("state", "failed").containsEntry("walStatus", "lost");
				assertThat(String.valueOf(current.getDetails().get("message")))
					.contains("Replication slot " + slot + " is lost (invalidated, cause wal_removed)")
					.contains("will not recreate the slot")
					.contains("max_slot_wal_keep_size");
			});
			// Left for the operator: neither dropped nor recreated.
			await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
				.until(() -> "lost".equals(walStatus(cluster, slot)));
			relay.close();
		}
	}

	private static String tableContract() {
		try {
			return java.nio.file.Files.readString(RelayFixture.CONTRACT).replace("${outbox_table}", "public.outbox_event");
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	private static String walStatus(ThrowawayPostgres cluster, String slot) throws Exception {
		try (var connection = cluster.connect(); var statement = connection.createStatement();
				var row = statement.executeQuery("SELECT wal_status FROM pg_replication_slots WHERE slot_name = '" + slot + "'")) {
			return row.next() ? row.getString(1) : null;
		}
	}

}
