package dev.outbox.relay;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;

import dev.outbox.testsupport.JavaProcess;
import dev.outbox.testsupport.KafkaBroker;
import dev.outbox.testsupport.TestDatabase;
import dev.outbox.testsupport.delivery.Examination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One relay, several sources ({@code outbox.relay.sources}): three databases of the test server,
 * each with its own outbox table, slot, publication and topics, streamed by one relay.
 */
class RelayMultipleSourcesIntegrationTests extends RelayIntegrationTestSupport {

	private final List<RelayFixture> others = new ArrayList<>();

	private final List<TestDatabase> databases = new ArrayList<>();

	@BeforeEach
	void createOtherSources(TestDatabase database, KafkaBroker broker) {
		for (int i = 0; i < 2; i++) {
			TestDatabase other = database.server().createDatabase("relay_source");
			this.databases.add(other);
			this.others.add(new RelayFixture(other, broker).createOutboxTable());
		}
	}

	@AfterEach
	void dropOtherSources() {
		this.fixture.close(); // the relay first, so that its slots are inactive and can be dropped
		for (TestDatabase other : this.databases) {
			this.fixture.execute("ALTER DATABASE " + other.name() + " ALLOW_CONNECTIONS true");
		}
		for (RelayFixture other : this.others) {
			other.close();
		}
		for (TestDatabase other : this.databases) {
			this.fixture.execute("DROP DATABASE " + other.name() + " WITH (FORCE)");
		}
	}

	@Test
	void aSourceWhoseDatabaseIsUnreachableStopsNoOtherAndResumesWhenItIsBack() throws Exception {
		List<String> settings = new ArrayList<>(List.of(sourceList()));
		settings.add("spring.datasource.url="); // unused with a list: the role is inherited, the URL is per source
		ConfigurableApplicationContext relay = this.fixture.startRelayOverriding(settings.toArray(String[]::new));
		HealthContributor health = relay.getBean("outboxRelay", HealthContributor.class);
		assertThat(health).isInstanceOf(CompositeHealthContributor.class);
		await().atMost(Duration.ofSeconds(60))
			.untilAsserted(() -> assertThat(List.of("a", "b", "c")).allSatisfy((name) -> assertThat(status(health, name))
				.as("health of source " + name).isEqualTo(Status.UP)));
		List<RelayFixture> all = all();
		CommittedEvents[] committed = { new CommittedEvents(), new CommittedEvents(), new CommittedEvents() };
		for (int i = 0; i < 3; i++) {
			writeSome(all.get(i), committed[i], 0);
		}
		RelayFixture down = all.get(2);
		this.fixture.execute("ALTER DATABASE " + down.database.name() + " ALLOW_CONNECTIONS false");
		this.fixture.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"
				+ down.database.name() + "'");
		MeterRegistry meters = relay.getBean(MeterRegistry.class);
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(meters.get("outbox.relay.state").tag("source", "c").tag("state", "RETRYING")
				.gauge().value()).as("state of source c").isEqualTo(1.0));
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(status(health, "c")).isEqualTo(Status.DOWN));
		for (int round = 1; round <= 3; round++) {
			writeSome(all.get(0), committed[0], round);
			writeSome(all.get(1), committed[1], round);
		}
		assertDelivered(all.get(0), committed[0]);
		assertDelivered(all.get(1), committed[1]);
		assertThat(meters.get("outbox.relay.state").tag("source", "a").tag("state", "STREAMING").gauge().value())
			.isEqualTo(1.0);
		assertThat(status(health, "a")).isEqualTo(Status.UP);
		this.fixture.execute("ALTER DATABASE " + down.database.name() + " ALLOW_CONNECTIONS true");
		writeSome(down, committed[2], 1);
		assertDelivered(down, committed[2]);
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(status(health, "c")).isEqualTo(Status.UP));
	}

	@Test
	void aSourceWhoseDatabaseIsUnreachableAtStartRetriesWhileTheOthersStream() throws Exception {
		List<RelayFixture> all = all();
		CommittedEvents[] committed = { new CommittedEvents(), new CommittedEvents(), new CommittedEvents() };
		RelayFixture down = all.get(2);
		this.fixture.execute("ALTER DATABASE " + down.database.name() + " ALLOW_CONNECTIONS false");
		ConfigurableApplicationContext relay = this.fixture.startRelay(sourceList());
		HealthContributor health = relay.getBean("outboxRelay", HealthContributor.class);
		await().atMost(Duration.ofSeconds(60))
			.untilAsserted(() -> assertThat(List.of("a", "b")).allSatisfy((name) -> assertThat(status(health, name))
				.as("health of source " + name).isEqualTo(Status.UP)));
		assertThat(state(relay, "c")).isEqualTo("RETRYING");
		assertThat(httpStatus(relay, "/actuator/health/outboxRelay/a")).isEqualTo(200);
		assertThat(httpStatus(relay, "/actuator/health/outboxRelay/c")).as("source c's own component").isEqualTo(503);
		assertThat(httpStatus(relay, "/actuator/health/readiness")).as("ready only when every source is").isEqualTo(503);
		writeSome(all.get(0), committed[0], 0);
		writeSome(all.get(1), committed[1], 0);
		assertDelivered(all.get(0), committed[0]);
		assertDelivered(all.get(1), committed[1]);
		this.fixture.execute("ALTER DATABASE " + down.database.name() + " ALLOW_CONNECTIONS true");
		await().atMost(Duration.ofSeconds(30)).until(() -> "STREAMING".equals(state(relay, "c")));
		writeSome(down, committed[2], 1);
		assertDelivered(down, committed[2]);
	}

	@Test
	void killNineUnderLoadLosesNothingOfAnySource() throws Exception {
		JavaProcess relay = this.fixture.startRelayProcess("sources", sourceList());
		awaitStreaming(relay, 3);
		List<RelayFixture> all = all();
		List<CommittedEvents> committed = List.of(new CommittedEvents(), new CommittedEvents(), new CommittedEvents());
		List<BackgroundWriter> writers = new ArrayList<>();
		try {
			for (int i = 0; i < 3; i++) {
				writers.add(new BackgroundWriter(all.get(i), "load", 10, 10, committed.get(i)));
			}
			for (int kill = 0; kill < 1; kill++) {
				int before = committed.get(0).count();
				await().atMost(Duration.ofSeconds(60)).until(() -> committed.get(0).count() > before + 150);
				relay.kill();
				relay.start();
				awaitStreaming(relay, 3);
			}
		}
		finally {
			for (BackgroundWriter writer : writers) {
				writer.close();
			}
		}
		for (int i = 0; i < 3; i++) {
			Examination result = all.get(i).awaitDelivered(committed.get(i), "load", Duration.ofSeconds(120));
			assertThat(result.committed()).as("source " + i).isGreaterThan(100);
			assertThat(result.missing()).as("missing of source " + i).isZero();
			assertThat(result.keysOutOfOrder()).as(result.firstOrderViolation()).isZero();
		}
	}

	@Test
	void withBalancingOffTwoRelaysGivenTheSameListStreamEachSlotInExactlyOneAndTheOtherTakesOverWhenItStops()
			throws Exception {
		List<String> settings = new ArrayList<>(List.of(sourceList()));
		settings.add("outbox.relay.balance-interval=0"); // balanced: RelayBalancingIntegrationTests
		ConfigurableApplicationContext first = this.fixture.startRelayOverriding(settings.toArray(String[]::new));
		List<String> names = List.of("a", "b", "c");
		await().atMost(Duration.ofSeconds(60))
			.untilAsserted(() -> assertThat(names).allSatisfy((name) -> assertThat(state(first, name)).isEqualTo("STREAMING")));
		ConfigurableApplicationContext second = this.fixture.startRelayOverriding(settings.toArray(String[]::new));
		await().atMost(Duration.ofSeconds(60))
			.untilAsserted(() -> assertThat(names).allSatisfy((name) -> assertThat(state(second, name)).isEqualTo("STANDBY")));
		List<RelayFixture> all = all();
		CommittedEvents[] committed = { new CommittedEvents(), new CommittedEvents(), new CommittedEvents() };
		for (int i = 0; i < 3; i++) {
			assertThat(all.get(i).slotColumn("active")).as("slot of source " + names.get(i) + " streamed").isEqualTo("true");
			writeSome(all.get(i), committed[i], 0);
		}
		for (String name : names) {
			assertThat(state(first, name)).as("the slot's holder keeps it").isEqualTo("STREAMING");
		}
		first.close();
		await().atMost(Duration.ofSeconds(60))
			.untilAsserted(() -> assertThat(names).allSatisfy((name) -> assertThat(state(second, name)).isEqualTo("STREAMING")));
		for (int i = 0; i < 3; i++) {
			writeSome(all.get(i), committed[i], 1);
		}
		for (int i = 0; i < 3; i++) {
			assertDelivered(all.get(i), committed[i]);
		}
	}

	private static String state(ConfigurableApplicationContext relay, String source) {
		MeterRegistry meters = relay.getBean(MeterRegistry.class);
		return meters.find("outbox.relay.state").tag("source", source).gauges().stream()
			.filter((gauge) -> gauge.value() == 1.0)
			.map((gauge) -> gauge.getId().getTag("state"))
			.findFirst()
			.orElse("none");
	}

	private List<RelayFixture> all() {
		return List.of(this.fixture, this.others.get(0), this.others.get(1));
	}

	/** Sources a, b and c: this test's database and the two others, each with its own slot and topics. */
	private String[] sourceList() {
		List<String> settings = new ArrayList<>();
		List<RelayFixture> all = all();
		for (int i = 0; i < all.size(); i++) {
			RelayFixture source = all.get(i);
			String prefix = "outbox.relay.sources[" + i + "].";
			settings.add(prefix + "name=" + (char) ('a' + i));
			settings.add(prefix + "url=" + source.database.jdbcUrl());
			settings.add(prefix + "slot-name=" + source.slot);
			settings.add(prefix + "publication-name=" + source.slot + "_pub");
			settings.add(prefix + "topic-template=" + source.topicPrefix + ".{aggregateType}");
		}
		settings.add("outbox.relay.reconnect-max-backoff=1s");
		return settings.toArray(String[]::new);
	}

	private static void writeSome(RelayFixture source, CommittedEvents committed, int round) {
		for (int aggregate = 0; aggregate < 5; aggregate++) {
			String id = "agg-" + aggregate;
			committed.committed(id, source.writeTransaction("load", id, 1 + round));
		}
	}

	private static void assertDelivered(RelayFixture source, CommittedEvents committed) {
		Examination result = source.awaitDelivered(committed, "load", Duration.ofSeconds(60));
		assertThat(result.missing()).isZero();
		assertThat(result.keysOutOfOrder()).as(result.firstOrderViolation()).isZero();
	}

	private static int httpStatus(ConfigurableApplicationContext relay, String path) throws Exception {
		URI uri = URI.create("http://127.0.0.1:" + relay.getEnvironment().getRequiredProperty("local.server.port") + path);
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding())
			.statusCode();
	}

	private static Status status(HealthContributor health, String source) {
		HealthContributor component = ((CompositeHealthContributor) health).getContributor(source);
		return ((HealthIndicator) component).health().getStatus();
	}

	/** Waits until the relay process logs that it streams {@code slots} more slots than before. */
	private static void awaitStreaming(JavaProcess relay, int slots) {
		long before = streamingLines(relay);
		await().atMost(Duration.ofSeconds(90)).until(() -> {
			if (!relay.isAlive()) {
				throw new AssertionError("relay exited: " + relay.describe());
			}
			return streamingLines(relay) >= before + slots;
		});
	}

	private static long streamingLines(JavaProcess relay) {
		try (var lines = Files.lines(relay.logFile())) {
			return lines.filter((line) -> line.contains("Streaming slot")).count();
		}
		catch (IOException ex) {
			return 0;
		}
	}

}
