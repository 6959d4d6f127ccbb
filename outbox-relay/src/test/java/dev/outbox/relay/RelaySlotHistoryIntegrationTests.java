package dev.outbox.relay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dropped-slot guard holds in the least-privilege setup of docs/operations.md: the publication
 * is made by the table's owner, and the relay's role has only LOGIN, REPLICATION and SELECT, so it cannot mark
 * the publication. The fact that a slot streamed (or that a standby saw it) is kept in the relay's
 * slot-history topic instead, and a slot missing from PostgreSQL but present in that history is
 * not recreated unless {@code outbox.relay.allow-slot-recreation=true}.
 */
@Tag("pg-versions")
class RelaySlotHistoryIntegrationTests extends RelayIntegrationTestSupport {

	private String role;

	@BeforeEach
	void leastPrivilegeSetup() {
		this.role = this.fixture.database.uniqueName("lp");
		this.fixture.execute("CREATE ROLE " + this.role + " LOGIN REPLICATION PASSWORD '" + this.role + "'; "
				+ "GRANT SELECT ON public.outbox_event TO " + this.role);
		this.fixture.execute("CREATE PUBLICATION \"" + this.fixture.slot
				+ "_pub\" FOR TABLE public.outbox_event WITH (publish = 'insert')");
	}

	@AfterEach
	void dropRole() {
		this.fixture.execute("DROP OWNED BY " + this.role + "; DROP ROLE " + this.role);
	}

	@Test
	void leastPrivilegeRelayRefusesToRecreateASlotDroppedWhileItWasStoppedUntilRecreationIsAllowed() {
		ConfigurableApplicationContext first = startLeastPrivilegeRelay();
		awaitState(first, "streaming");
		List<String> before = this.fixture.writeTransaction("hist", "agg-1", 3);
		try (KafkaConsumer<String, String> consumer = this.fixture.consumer(this.fixture.topic("hist"))) {
			RelayFixture.pollUntil(consumer, new ArrayList<>(), (all) -> all.size() >= before.size(),
					Duration.ofSeconds(60));
		}
		first.close();
		this.fixture.execute("SELECT pg_drop_replication_slot('" + this.fixture.slot + "')");

		ConfigurableApplicationContext refused = startLeastPrivilegeRelay();
		assertRefused(refused);
		refused.close();

		ConfigurableApplicationContext allowed = startLeastPrivilegeRelay("outbox.relay.allow-slot-recreation=true");
		awaitState(allowed, "streaming");
		assertThat(this.fixture.slotExists()).isTrue();
		List<String> after = this.fixture.writeTransaction("hist", "agg-2", 2);
		try (KafkaConsumer<String, String> consumer = this.fixture.consumer(this.fixture.topic("hist"))) {
			RelayFixture.pollUntil(consumer, new ArrayList<>(), (all) -> all.size() >= before.size() + after.size(),
					Duration.ofSeconds(60));
		}
		allowed.close();

		// The override is turned back off: the recreated slot exists, so nothing needs it.
		ConfigurableApplicationContext next = startLeastPrivilegeRelay();
		awaitState(next, "streaming");
	}

	@Test
	void standbyRecordsTheSlotItSawSoThatItsNextStartRefusesToRecreateItOnceDropped() {
		// Each relay keeps its own history topic: what the fresh standby knows, it recorded itself.
		String historyA = this.fixture.topicPrefix + ".history-a";
		String historyB = this.fixture.topicPrefix + ".history-b";
		ConfigurableApplicationContext active = startLeastPrivilegeRelay("outbox.relay.slot-history-topic=" + historyA);
		awaitState(active, "streaming");
		ConfigurableApplicationContext standby = startLeastPrivilegeRelay(
				"outbox.relay.slot-history-topic=" + historyB);
		awaitState(standby, "standby");
		standby.close();
		active.close();
		this.fixture.execute("SELECT pg_drop_replication_slot('" + this.fixture.slot + "')");

		ConfigurableApplicationContext restarted = startLeastPrivilegeRelay(
				"outbox.relay.slot-history-topic=" + historyB);
		assertRefused(restarted);
	}

	private ConfigurableApplicationContext startLeastPrivilegeRelay(String... extra) {
		List<String> settings = new ArrayList<>(List.of("spring.datasource.username=" + this.role,
				"spring.datasource.password=" + this.role, "outbox.relay.create-publication=false"));
		settings.addAll(List.of(extra));
		return this.fixture.startRelayOverriding(settings.toArray(String[]::new));
	}

	private void assertRefused(ConfigurableApplicationContext relay) {
		RelayFixture.awaitFailed(relay, Duration.ofSeconds(30), "Replication slot " + this.fixture.slot + " was dropped",
				"outbox.relay.allow-slot-recreation=true");
		await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> !this.fixture.slotExists());
	}

	private static void awaitState(ConfigurableApplicationContext relay, String state) {
		RelayFixture.awaitState(relay, state);
	}

}
