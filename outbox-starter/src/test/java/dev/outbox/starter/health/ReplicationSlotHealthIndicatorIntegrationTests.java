package dev.outbox.starter.health;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.AvailabilityProbesAutoConfiguration;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.application.AvailabilityHealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.actuate.endpoint.HealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.util.unit.DataSize;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.outbox.starter.LogicalSlot;
import dev.outbox.starter.autoconfigure.OutboxAutoConfiguration;
import dev.outbox.starter.autoconfigure.OutboxHealthContributorAutoConfiguration;
import dev.outbox.testsupport.PostgresTest;
import dev.outbox.testsupport.TestDatabase;
import dev.outbox.testsupport.ThrowawayPostgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The relay's replication slot, as reported by the {@code outbox} health indicator: from UP
 * through WARNING to DOWN; outside the service's overall status unless the application opts in,
 * in a group of its own, and never part of liveness or readiness.
 */
@PostgresTest
class ReplicationSlotHealthIndicatorIntegrationTests {

	private static DataSource dataSource;

	@BeforeAll
	static void setUp(TestDatabase database) {
		dataSource = database.dataSource();
		new JdbcTemplate(dataSource).execute("CREATE TABLE wal_filler (n int)");
	}

	@Test
	void missingSlotIsDown() {
		Health health = indicator("no_such_slot", DataSize.ofGigabytes(1), DataSize.ofGigabytes(8)).health();

		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("slot", "no_such_slot")
			.containsEntry("exists", false)
			.hasEntrySatisfying("reason", (reason) -> assertThat(reason.toString()).contains("does not exist"));
	}

	@Test
	void slotWithLittleRetainedWalIsUpAndReportsItsState(TestDatabase database) throws SQLException {
		try (LogicalSlot slot = LogicalSlot.create(database)) {
			Health health = indicator(slot.name(), DataSize.ofGigabytes(1), DataSize.ofGigabytes(8)).health();

			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("slot", slot.name())
				.containsEntry("exists", true)
				.containsEntry("active", false)
				.containsEntry("walStatus", "reserved")
				.containsEntry("invalidationCause", "none")
				.containsKeys("retainedWalBytes", "restartLsn", "confirmedFlushLsn")
				.containsEntry("warningThreshold", DataSize.ofGigabytes(1).toBytes())
				.containsEntry("criticalThreshold", DataSize.ofGigabytes(8).toBytes());
		}
	}

	@Test
	void retainedWalAboveWarningThresholdIsWarningAndAboveCriticalIsDown(TestDatabase database) throws SQLException {
		try (LogicalSlot slot = LogicalSlot.create(database)) {
			new JdbcTemplate(dataSource).update("INSERT INTO wal_filler SELECT generate_series(1, 10000)");
			Health warning = indicator(slot.name(), DataSize.ofKilobytes(64), DataSize.ofGigabytes(1)).health();
			Health critical = indicator(slot.name(), DataSize.ofKilobytes(32), DataSize.ofKilobytes(64)).health();

			assertThat(warning.getStatus()).isEqualTo(ReplicationSlotHealthIndicator.WARNING);
			assertThat(critical.getStatus()).isEqualTo(Status.DOWN);
			assertThat((Long) critical.getDetails().get("retainedWalBytes"))
				.isGreaterThanOrEqualTo(DataSize.ofKilobytes(64).toBytes());
		}
	}

	@Test
	void slotThatLostItsWalIsDownNamingTheCauseAndItsFix() {
		// A tiny max_slot_wal_keep_size would invalidate other tests' slots: a cluster of our own.
		try (ThrowawayPostgres cluster = ThrowawayPostgres.start("starter-slot-lost",
				Map.of("wal_level", "logical", "max_slot_wal_keep_size", "1MB", "max_replication_slots", "4",
						"max_wal_senders", "4"))) {
			cluster.execute("CREATE TABLE churn (id bigserial PRIMARY KEY, note text)");
			cluster.execute("SELECT pg_create_logical_replication_slot('lost_slot', 'pgoutput')");
			ReplicationSlotHealthIndicator indicator = new ReplicationSlotHealthIndicator(
					new DriverManagerDataSource(cluster.jdbcUrl(), "postgres", ""), "lost_slot",
					DataSize.ofGigabytes(1), DataSize.ofGigabytes(8));
			await().atMost(Duration.ofSeconds(60)).until(() -> {
				cluster.execute("INSERT INTO churn (note) SELECT repeat('x', 100) FROM generate_series(1, 1000); "
						+ "SELECT pg_switch_wal(); CHECKPOINT;");
				return Status.DOWN.equals(indicator.health().getStatus());
			});

			Health health = indicator.health();

			assertThat(health.getDetails()).containsEntry("walStatus", "lost")
				.containsEntry("invalidationCause", "wal_removed")
				.hasEntrySatisfying("reason", (reason) -> assertThat(reason.toString()).contains("cause wal_removed")
					.contains("max_slot_wal_keep_size"));
		}
	}

	@Test
	void missingSlotLeavesTheOverallStatusUpAndIsDownInAGroupOfItsOwnOutsideTheProbes() {
		healthContext("management.endpoint.health.group.readiness.include=*").run((context) -> {
			assertThat(context).hasBean("outboxHealthIndicator");
			HealthEndpointGroups groups = context.getBean(HealthEndpointGroups.class);
			assertThat(groups.getPrimary().isMember("outbox")).isFalse();
			assertThat(groups.get("liveness").isMember("outbox")).isFalse();
			assertThat(groups.get("readiness").isMember("outbox")).isFalse();
			assertThat(groups.get("outbox-slot").isMember("outbox")).isTrue();
			HealthEndpoint endpoint = context.getBean(HealthEndpoint.class);
			// The overall status is whatever the rest says (here the runner's availability states).
			assertThat(components(endpoint.health()).propertyNames()).contains("ping").doesNotContain("outbox");
			assertThat(endpoint.healthForPath("outbox-slot").getStatus()).isEqualTo(Status.DOWN);
		});
	}

	@Test
	void optingInMakesTheIndicatorPartOfTheOverallStatusButNeverOfTheProbes() {
		healthContext("outbox.health.affects-overall-status=true",
				"management.endpoint.health.group.liveness.include=*").run((context) -> {
					HealthEndpointGroups groups = context.getBean(HealthEndpointGroups.class);
					assertThat(groups.getPrimary().isMember("outbox")).isTrue();
					assertThat(groups.get("liveness").isMember("outbox")).isFalse();
					assertThat(groups.get("readiness").isMember("outbox")).isFalse();
					JsonNode outbox = components(context.getBean(HealthEndpoint.class).health()).path("outbox");
					assertThat(outbox.path("status").asString()).isEqualTo("DOWN");
				});
	}

	@Test
	void groupTheApplicationDefinesUnderTheSameNameIsLeftAsConfigured() {
		healthContext("management.endpoint.health.group.outbox-slot.include=ping").run((context) -> {
			HealthEndpointGroups groups = context.getBean(HealthEndpointGroups.class);
			assertThat(groups.get("outbox-slot").isMember("outbox")).isFalse();
			assertThat(groups.get("outbox-slot").isMember("ping")).isTrue();
		});
	}

	private static JsonNode components(HealthDescriptor health) {
		return JsonMapper.builder().build().valueToTree(health).path("components");
	}

	private static ApplicationContextRunner healthContext(String... properties) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ApplicationAvailabilityAutoConfiguration.class,
					AvailabilityHealthContributorAutoConfiguration.class, AvailabilityProbesAutoConfiguration.class,
					HealthContributorAutoConfiguration.class, HealthContributorRegistryAutoConfiguration.class,
					HealthEndpointAutoConfiguration.class, OutboxAutoConfiguration.class,
					OutboxHealthContributorAutoConfiguration.class))
			.withBean(DataSource.class, () -> dataSource)
			.withPropertyValues("outbox.flyway.enabled=false", "outbox.health.slot-name=no_such_slot",
					"management.endpoint.health.probes.enabled=true")
			.withPropertyValues(properties);
	}

	private static ReplicationSlotHealthIndicator indicator(String slot, DataSize warning, DataSize critical) {
		return new ReplicationSlotHealthIndicator(dataSource, slot, warning, critical);
	}

}
