package dev.outbox.relay;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import dev.outbox.testsupport.PrimaryAndStandby;
import dev.outbox.testsupport.delivery.Examination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The relay through a failover of its PostgreSQL: it streams through a multi-host JDBC URL
 * ({@code targetServerType=primary}) from a primary with a streaming standby, writers commit
 * under load, the primary is killed and the standby promoted.
 * <p>
 * On PostgreSQL 17 and later the relay's slot follows ({@code failover = true}, synchronised by the
 * standby, the primary waiting for the standby through {@code synchronized_standby_slots}): the relay
 * reconnects to the new primary, finds its slot there and goes on. Every event the promoted
 * primary holds is in Kafka, in per-aggregate order, and Kafka holds no event the promoted primary
 * lacks (nothing was published that the failover lost). Before 17 no slot follows: the relay
 * stops loudly as for a dropped slot, saying what to do. A copy of a slot that does not follow a
 * failover (before 17, the way failover tools kept slots on standbys), found behind what the relay
 * confirmed, is refused as loudly.
 */
@Tag("pg-versions")
@ExtendWith(OutputCaptureExtension.class)
class RelayFailoverIntegrationTests extends RelayIntegrationTestSupport {

	private static final String TYPE = "failover";

	private PrimaryAndStandby servers;

	@BeforeEach
	void startPrimaryAndStandby() throws Exception {
		this.servers = PrimaryAndStandby.start("relay-failover", Map.of());
		String ddl = java.nio.file.Files.readString(RelayFixture.CONTRACT).replace("${outbox_table}",
				"public.outbox_event");
		this.servers.primary().execute(ddl);
	}

	@AfterEach
	void stopServers() {
		if (this.servers != null) {
			this.servers.close();
		}
	}

	@Test
	void relayFollowsItsSlotToThePromotedStandbyFrom17AndStopsLoudlyBefore(CapturedOutput output) throws Exception {
		String url = this.servers.multiHostJdbcUrl("postgres");
		ConfigurableApplicationContext relay = this.fixture.startRelayOverriding("spring.datasource.url=" + url,
				"spring.datasource.username=postgres", "spring.datasource.password=",
				"outbox.relay.reconnect-max-backoff=1s", "spring.datasource.hikari.connection-timeout=2000");
		RelayFixture.awaitState(relay, "streaming");
		try (SequencedWriter first = new SequencedWriter(url, TYPE, "a", 10);
				SequencedWriter second = new SequencedWriter(url, TYPE, "b", 10)) {
			await().atMost(Duration.ofSeconds(30)).until(() -> first.acknowledged() + second.acknowledged() > 1000);
			if (this.servers.failoverSlots()) {
				this.servers.awaitStandbySlot(this.fixture.slot, slotConfirmedOnPrimary(), Duration.ofSeconds(60));
			}

			this.servers.failOver();

			int promoted = first.acknowledged() + second.acknowledged();
			await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(first.acknowledged()
					+ second.acknowledged()).as(() -> "events committed after the promotion; writers: " + first.describe() + "\n"
							+ second.describe())
				.isGreaterThan(promoted + 500));
		}
		if (!this.servers.failoverSlots()) {
			RelayFixture.awaitFailed(relay, Duration.ofSeconds(60), "Replication slot " + this.fixture.slot
					+ " was dropped", "outbox.relay.allow-slot-recreation=true");
			return;
		}
		CommittedEvents onPromoted;
		try (Connection connection = this.servers.standby().connect()) {
			onPromoted = SequencedWriter.committedIn(connection);
		}
		Examination result = this.fixture.awaitDelivered(onPromoted, TYPE, Duration.ofSeconds(60));
		assertThat(result.committed()).isGreaterThan(1500);
		assertThat(result.missing()).as("events on the promoted primary missing from Kafka, first: %s",
				result.firstMissing()).isZero();
		assertThat(result.keysOutOfOrder()).as(result.firstOrderViolation()).isZero();
		assertThat(result.unknown()).as("events in Kafka that the promoted primary lacks (lost by the failover)")
			.isEmpty();
		assertThat(result.inconsistencies()).isEmpty();
		assertThat(output.getOut() + output.getErr()).as("startup warning with synchronized_standby_slots set")
			.doesNotContain("runs with synchronized_standby_slots empty");
	}

	@Test
	void relayRefusesAnOlderCopyOfItsSlotThatDidNotFollowTheFailover() throws Exception {
		// A slot that does not follow a failover (as every slot before 17), copied to the standby
		// the way failover tools did before 17: the copy stays behind what the relay confirms next.
		ConfigurableApplicationContext relay = startRelayOnASlotThatDoesNotFollow();
		String copied = copySlotAndConfirmPastTheCopy();

		this.servers.failOver();

		awaitRefusalOfTheCopy(relay, copied);
		try (Connection connection = this.servers.standby().connect(); Statement statement = connection.createStatement();
				ResultSet row = statement.executeQuery("SELECT confirmed_flush_lsn::text, active FROM pg_replication_slots "
						+ "WHERE slot_name = '" + this.fixture.slot + "'")) {
			assertThat(row.next()).as("the copy is left for the operator").isTrue();
			assertThat(row.getString(1)).as("the copy was not streamed from").isEqualTo(copied);
			assertThat(row.getBoolean(2)).isFalse();
		}
	}

	@Test
	void relayStartedAfterTheFailoverRefusesAnOlderCopyByWhatItsSlotHistoryRecorded() throws Exception {
		// As above, but the relay that confirmed past the copy stops before the failover, and the one
		// started after it has confirmed nothing itself: the slot history's record (position and
		// timeline) is what tells it the copy is behind.
		ConfigurableApplicationContext first = startRelayOnASlotThatDoesNotFollow();
		String copied = copySlotAndConfirmPastTheCopy();
		first.close();

		this.servers.failOver();

		awaitRefusalOfTheCopy(this.fixture.startRelayOverriding(relaySettings()), copied);
	}

	private ConfigurableApplicationContext startRelayOnASlotThatDoesNotFollow() {
		this.servers.primary()
			.execute("SELECT pg_create_logical_replication_slot('" + this.fixture.slot + "', 'pgoutput')");
		ConfigurableApplicationContext relay = this.fixture.startRelayOverriding(relaySettings());
		RelayFixture.awaitState(relay, "streaming");
		return relay;
	}

	/** Settings for a slot kept as before 17 (on 17, as for a failover tool that copies slots itself). */
	private String[] relaySettings() {
		return new String[] { "spring.datasource.url=" + this.servers.multiHostJdbcUrl("postgres"),
				"spring.datasource.username=postgres", "spring.datasource.password=", "outbox.relay.failover-slot=false",
				"outbox.relay.reconnect-max-backoff=1s", "spring.datasource.hikari.connection-timeout=2000" };
	}

	/** Copies the slot to the standby under load, and waits until the relay confirmed past the copy. */
	private String copySlotAndConfirmPastTheCopy() throws Exception {
		try (SequencedWriter writer = new SequencedWriter(this.servers.multiHostJdbcUrl("postgres"), TYPE, "a", 10)) {
			await().atMost(Duration.ofSeconds(30)).until(() -> writer.acknowledged() > 200);
			String copied = this.servers.copySlotToStandby(this.fixture.slot);
			await().atMost(Duration.ofSeconds(30)).until(() -> lsnAfter(slotConfirmedOnPrimary(), copied));
			return copied;
		}
	}

	private void awaitRefusalOfTheCopy(ConfigurableApplicationContext relay, String copied) {
		RelayFixture.awaitFailed(relay, Duration.ofSeconds(60),
				"Replication slot " + this.fixture.slot + " is on a new primary",
				"at " + copied + ", behind the position the relay confirmed before",
				"outbox.relay.allow-slot-recreation=true");
	}

	private boolean lsnAfter(String lsn, String other) throws SQLException {
		try (Connection connection = this.servers.primary().connect(); Statement statement = connection.createStatement();
				ResultSet row = statement.executeQuery("SELECT '" + lsn + "'::pg_lsn > '" + other + "'::pg_lsn")) {
			row.next();
			return row.getBoolean(1);
		}
	}

	private String slotConfirmedOnPrimary() throws SQLException {
		try (Connection connection = this.servers.primary().connect(); Statement statement = connection.createStatement();
				ResultSet row = statement.executeQuery("SELECT confirmed_flush_lsn::text FROM pg_replication_slots "
						+ "WHERE slot_name = '" + this.fixture.slot + "'")) {
			row.next();
			return row.getString(1);
		}
	}

}
