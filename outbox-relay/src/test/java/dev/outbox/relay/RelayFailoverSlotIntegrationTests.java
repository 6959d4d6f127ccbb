package dev.outbox.relay;

import java.time.Duration;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.outbox.relay.source.FailoverSlots;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * On PostgreSQL 17 and later the relay creates its slot with {@code failover = true}, by either
 * way it creates one (directly, or copied after the initial snapshot), and warns at startup while
 * the primary has no {@code synchronized_standby_slots}; it sets {@code failover = true} on a slot
 * found without it (created before an upgrade to 17, or by hand). Before 17 it creates the slot as
 * before and does not warn. The test server of the run decides which half is proved (CI runs both: 15 and 17).
 */
@Tag("pg-versions")
@ExtendWith(OutputCaptureExtension.class)
class RelayFailoverSlotIntegrationTests extends RelayIntegrationTestSupport {

	@Test
	void slotCreatedDirectlyFollowsFailoverFromPostgres17() {
		this.fixture.startRelay();
		assertSlotFollowsFailoverFrom17();
	}

	@Test
	void slotCreatedAfterTheInitialSnapshotFollowsFailoverFromPostgres17() {
		this.fixture.startRelay("outbox.relay.snapshot-mode=initial");
		assertSlotFollowsFailoverFrom17();
	}

	@Test
	void slotThatDoesNotFollowFailoverIsMadeToFollowItFromPostgres17(CapturedOutput output) {
		// A slot created before the upgrade to 17 (or by hand) has failover = false.
		this.fixture.execute("SELECT pg_create_logical_replication_slot('" + this.fixture.slot + "', 'pgoutput')");
		assertThat(this.fixture.slotColumn("plugin")).isEqualTo("pgoutput");
		RelayFixture.awaitState(this.fixture.startRelay(), "streaming");
		if (majorVersion() >= FailoverSlots.FAILOVER_SINCE) {
			assertThat(this.fixture.slotColumn("failover")).as("failover of the relay's slot").isEqualTo("true");
			assertThat(output.getOut()).contains("Replication slot " + this.fixture.slot + " did not follow a failover")
				.contains("failover = true");
		}
		else {
			assertThat(output.getOut() + output.getErr()).doesNotContain("did not follow a failover");
		}
	}

	@Test
	void failoverSlotFalseKeepsSlotsAsBefore17WithoutTheWarning(CapturedOutput output) {
		this.fixture.execute("SELECT pg_create_logical_replication_slot('" + this.fixture.slot + "', 'pgoutput')");
		RelayFixture.awaitState(this.fixture.startRelay("outbox.relay.failover-slot=false"), "streaming");
		if (majorVersion() >= FailoverSlots.FAILOVER_SINCE) {
			assertThat(this.fixture.slotColumn("failover")).as("failover of the relay's slot").isEqualTo("false");
		}
		assertThat(output.getOut() + output.getErr()).doesNotContain("did not follow a failover")
			.doesNotContain("synchronized_standby_slots");
	}

	@Test
	void startupWarnsNamingSynchronizedStandbySlotsFromPostgres17WhenThePrimaryHasNone(CapturedOutput output) {
		assertThat(this.fixture
			.queryString("SELECT coalesce(current_setting('synchronized_standby_slots', true), '')"))
			.as("the shared test server has no synchronized_standby_slots")
			.isEmpty();
		this.fixture.startRelay();
		await().atMost(Duration.ofSeconds(30)).until(this.fixture::slotExists);
		if (majorVersion() >= FailoverSlots.FAILOVER_SINCE) {
			assertThat(output.getOut() + output.getErr()).contains("runs with synchronized_standby_slots empty")
				.contains("replication slot " + this.fixture.slot)
				.contains("ALTER SYSTEM SET synchronized_standby_slots");
		}
		else {
			assertThat(output.getOut() + output.getErr()).doesNotContain("synchronized_standby_slots");
		}
	}

	private void assertSlotFollowsFailoverFrom17() {
		await().atMost(Duration.ofSeconds(60)).until(this.fixture::slotExists);
		if (majorVersion() >= FailoverSlots.FAILOVER_SINCE) {
			assertThat(this.fixture.slotColumn("failover")).as("failover of the relay's slot").isEqualTo("true");
		}
		else {
			assertThat(this.fixture.slotColumn("plugin")).isEqualTo("pgoutput");
		}
	}

	private int majorVersion() {
		return Integer.parseInt(this.fixture.queryString("SHOW server_version_num")) / 10000;
	}

}
