package dev.outbox.relay;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;

import dev.outbox.testsupport.JavaProcess;
import dev.outbox.testsupport.KafkaBroker;
import dev.outbox.testsupport.KafkaTest;
import dev.outbox.testsupport.PostgresTest;
import dev.outbox.testsupport.TestDatabase;
import dev.outbox.testsupport.delivery.Examination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The pipeline under Kafka and PostgreSQL outages, and a second relay on the same slot.
 */
@PostgresTest
@KafkaTest
class RelayOutageIntegrationTests {

	private RelayFixture fixture;

	private KafkaBroker privateBroker;

	@AfterEach
	void tearDown() {
		if (this.fixture != null) {
			this.fixture.close();
		}
		if (this.privateBroker != null) {
			this.privateBroker.stop();
		}
	}

	@Test
	void kafkaBrokerStoppedAndKilledMidStreamLosesNothingAndKeepsOrder(TestDatabase database) throws Exception {
		this.privateBroker = KafkaBroker.startPrivate("outage");
		this.fixture = new RelayFixture(database, this.privateBroker).createOutboxTable();
		ConfigurableApplicationContext relay = this.fixture.startRelay("outbox.relay.kafka-unavailable-grace=2s");
		HealthIndicator health = relay.getBean("outboxRelay", HealthIndicator.class);
		CommittedEvents committed = new CommittedEvents();
		try (BackgroundWriter writer = new BackgroundWriter(this.fixture, "outage", 25, 20, committed)) {
			awaitMoreCommitted(committed, 300);
			this.privateBroker.stop();
			await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
				assertThat(health.health(true).getStatus()).isEqualTo(Status.DOWN);
				assertThat(health.health(true).getDetails()).containsKey("kafkaUnacknowledgedFor");
			});
			this.privateBroker.start();
			awaitMoreCommitted(committed, 300);
			this.privateBroker.kill();
			awaitMoreCommitted(committed, 100);
			this.privateBroker.start();
			awaitMoreCommitted(committed, 300);
		}
		Examination result = this.fixture.awaitDelivered(committed, "outage", Duration.ofSeconds(180));
		assertThat(result.missing()).isZero();
		assertThat(result.keysOutOfOrder()).as(result.firstOrderViolation()).isZero();
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(health.health(true).getStatus()).isEqualTo(Status.UP));
	}

	@Test
	void lostReplicationConnectionIsReconnectedAndResumed(TestDatabase database, KafkaBroker broker) throws Exception {
		this.fixture = new RelayFixture(database, broker).createOutboxTable();
		ConfigurableApplicationContext relay = this.fixture.startRelay("outbox.relay.reconnect-backoff=100ms");
		HealthIndicator health = relay.getBean("outboxRelay", HealthIndicator.class);
		CommittedEvents committed = new CommittedEvents();
		Throwable writerError;
		try (BackgroundWriter writer = new BackgroundWriter(this.fixture, "reconnect", 10, 10, committed)) {
			for (int cut = 0; cut < 3; cut++) {
				awaitMoreCommitted(committed, 200);
				await().atMost(Duration.ofSeconds(30)).until(() -> terminateWalSender() > 0);
			}
			awaitMoreCommitted(committed, 200);
			writerError = writer.lastError();
		}
		assertThat(writerError).as("writer error (the writer's own connections are never cut)").isNull();
		Examination result = this.fixture.awaitDelivered(committed, "reconnect", Duration.ofSeconds(120));
		assertThat(result.missing()).isZero();
		assertThat(result.keysOutOfOrder()).as(result.firstOrderViolation()).isZero();
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(health.health(true).getDetails()).containsEntry("state", "streaming"));
	}

	/**
	 * The publication is checked before every session, not only at start: one altered to skip
	 * INSERTs while the relay streams is refused at the next reconnect, so the relay never streams
	 * through it and confirms no WAL position past the inserts it would not receive.
	 */
	@Test
	void publicationAlteredToSkipInsertsIsRefusedAtReconnectAndNothingPastItIsConfirmed(TestDatabase database,
			KafkaBroker broker) {
		this.fixture = new RelayFixture(database, broker).createOutboxTable();
		ConfigurableApplicationContext relay = this.fixture.startRelay("outbox.relay.reconnect-backoff=100ms");
		HealthIndicator health = relay.getBean("outboxRelay", HealthIndicator.class);
		List<String> first = this.fixture.writeTransaction("altered", "agg-1", 2);
		try (var consumer = this.fixture.consumer(this.fixture.topic("altered"))) {
			RelayFixture.pollUntil(consumer, new java.util.ArrayList<>(), (all) -> all.size() >= first.size(),
					Duration.ofSeconds(60));
		}
		String publication = this.fixture.slot + "_pub";
		this.fixture.execute("ALTER PUBLICATION " + publication + " SET (publish = 'delete')");
		await().atMost(Duration.ofSeconds(30)).until(() -> terminateWalSender() > 0);

		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			var details = health.health(true).getDetails();
			assertThat(details.get("state")).isIn("retrying", "failed");
			assertThat(String.valueOf(details.get("message")))
				.contains("Publication " + publication + " (outbox.relay.publication-name)")
				.contains("does not publish INSERTs (publish = 'delete')")
				.contains("SET (publish = 'insert')");
		});
		this.fixture.writeTransaction("altered", "agg-1", 2);
		String afterWrites = this.fixture.queryString("SELECT pg_current_wal_lsn()::text");
		await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6)).untilAsserted(() -> {
			assertThat(health.health(true).getDetails().get("state")).isIn("retrying", "failed");
			assertThat(this.fixture.slotColumn("active_pid")).as("walsender of the slot").isNull();
			assertThat(this.fixture.queryString("SELECT ('" + this.fixture.slotColumn("confirmed_flush_lsn")
					+ "'::pg_lsn < '" + afterWrites + "'::pg_lsn)::text")).as("confirmed before the later writes")
				.isEqualTo("true");
		});
	}

	@Test
	void silentReplicationLinkIsNoticedWithinTheReplicationTimeoutAndStreamingResumes(TestDatabase database,
			KafkaBroker broker) throws Exception {
		this.fixture = new RelayFixture(database, broker).createOutboxTable();
		ConfigurableApplicationContext relay = this.fixture.startRelay("outbox.relay.replication-timeout=2s",
				"outbox.relay.reconnect-backoff=100ms");
		HealthIndicator health = relay.getBean("outboxRelay", HealthIndicator.class);
		CommittedEvents committed = new CommittedEvents();
		try (BackgroundWriter writer = new BackgroundWriter(this.fixture, "silent", 10, 10, committed)) {
			awaitMoreCommitted(committed, 200);
			long walSender = activeWalSender();
			// A stopped walsender keeps its TCP connection open and sends nothing: a silent link.
			signal("STOP", walSender);
			try {
				await().atMost(Duration.ofSeconds(20))
					.untilAsserted(() -> assertThat(health.health(true).getDetails().get("state")).isIn("retrying",
							"standby"));
			}
			finally {
				signal("CONT", walSender);
			}
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(health.health(true).getDetails()).containsEntry("state", "streaming"));
			awaitMoreCommitted(committed, 200);
		}
		Examination result = this.fixture.awaitDelivered(committed, "silent", Duration.ofSeconds(120));
		assertThat(result.missing()).isZero();
		assertThat(result.keysOutOfOrder()).as(result.firstOrderViolation()).isZero();
	}

	@Test
	void secondRelayStandsByAndTakesOverWhenTheActiveOneIsKilled(TestDatabase database, KafkaBroker broker)
			throws Exception {
		this.fixture = new RelayFixture(database, broker).createOutboxTable();
		JavaProcess active = this.fixture.startRelayProcess("active");
		this.fixture.awaitStreaming(active);
		ConfigurableApplicationContext standby = this.fixture.startRelay();
		HealthIndicator health = standby.getBean("outboxRelay", HealthIndicator.class);
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			assertThat(health.health(true).getDetails()).containsEntry("state", "standby");
			assertThat(health.health(true).getStatus()).isEqualTo(Status.UP);
		});
		CommittedEvents committed = new CommittedEvents();
		try (BackgroundWriter writer = new BackgroundWriter(this.fixture, "takeover", 10, 10, committed)) {
			awaitMoreCommitted(committed, 200);
			active.kill();
			long killedAt = System.nanoTime();
			await().atMost(Duration.ofSeconds(15))
				.untilAsserted(() -> assertThat(health.health(true).getDetails()).containsEntry("state", "streaming"));
			assertThat(Duration.ofNanos(System.nanoTime() - killedAt)).isLessThan(Duration.ofSeconds(15));
			awaitMoreCommitted(committed, 200);
		}
		Examination result = this.fixture.awaitDelivered(committed, "takeover", Duration.ofSeconds(120));
		assertThat(result.missing()).isZero();
		assertThat(result.keysOutOfOrder()).as(result.firstOrderViolation()).isZero();
	}

	private long activeWalSender() {
		try (var connection = this.fixture.database.connect(); var statement = connection.createStatement();
				var row = statement.executeQuery("SELECT active_pid FROM pg_replication_slots WHERE slot_name = '"
						+ this.fixture.slot + "' AND active_pid IS NOT NULL")) {
			assertThat(row.next()).as("slot %s has an active walsender", this.fixture.slot).isTrue();
			return row.getLong(1);
		}
		catch (java.sql.SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Sends a signal to a local server process; the test rig's PostgreSQL runs on this machine. */
	private static void signal(String name, long pid) throws Exception {
		Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
		assertThat(kill.waitFor()).as("kill -%s %d (the test needs the PostgreSQL server on this machine, and the "
				+ "right to signal its processes)", name, pid).isZero();
	}

	private int terminateWalSender() {
		List<Integer> terminated = new java.util.ArrayList<>();
		try (var connection = this.fixture.database.connect(); var statement = connection.createStatement();
				var row = statement.executeQuery("SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots "
						+ "WHERE slot_name = '" + this.fixture.slot + "' AND active_pid IS NOT NULL")) {
			while (row.next()) {
				terminated.add(row.getBoolean(1) ? 1 : 0);
			}
		}
		catch (java.sql.SQLException ex) {
			throw new IllegalStateException(ex);
		}
		return terminated.stream().mapToInt(Integer::intValue).sum();
	}

	private static void awaitMoreCommitted(CommittedEvents committed, int more) {
		int before = committed.count();
		await().atMost(Duration.ofSeconds(60)).until(() -> committed.count() >= before + more);
	}

}
