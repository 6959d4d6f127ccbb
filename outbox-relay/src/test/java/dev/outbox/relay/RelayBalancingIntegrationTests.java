package dev.outbox.relay;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import dev.outbox.testsupport.JavaProcess;
import dev.outbox.testsupport.delivery.Examination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two relay processes given the same list (one outbox in 4 shards) share its slots out with no
 * coordinator ({@link SlotBalance}): the first streams all four, the second joins and the first
 * releases slots until each streams two; every slot streams in exactly one of them at every
 * sample, never both; when one stops, or is killed, the other takes every slot. Events written
 * throughout are all delivered, each aggregate's in commit order.
 */
class RelayBalancingIntegrationTests extends RelayIntegrationTestSupport {

	private static final List<String> SHARDS = List.of("orders-0", "orders-1", "orders-2", "orders-3");

	@AfterEach
	void dropShardSlots() {
		this.fixture.closeWithShardSlots();
	}

	@Test
	void twoRelaysOnOneListEachStreamSomeSlotsNeverTheSameAndOneTakesAllWhenTheOtherStops() throws Exception {
		ConfigurableApplicationContext first = this.fixture.startRelayOverriding(list());
		await().atMost(Duration.ofSeconds(60)).until(() -> streaming(first) == 4);
		CommittedEvents committed = new CommittedEvents();
		Map<String, Integer> mostStreamingAtOnce = new ConcurrentHashMap<>();
		AtomicBoolean sampling = new AtomicBoolean(true);
		ConfigurableApplicationContext second;
		try (BackgroundWriter writer = new BackgroundWriter(this.fixture, "load", 50, 3, committed)) {
			second = this.fixture.startRelayOverriding(list());
			// The registries outlive their contexts: the first's still reads its sources' state once closed.
			MeterRegistry firstMeters = first.getBean(MeterRegistry.class);
			MeterRegistry secondMeters = second.getBean(MeterRegistry.class);
			Thread sampler = new Thread(() -> {
				while (sampling.get()) {
					for (String shard : SHARDS) {
						int streaming = (isStreaming(firstMeters, shard) ? 1 : 0)
								+ (isStreaming(secondMeters, shard) ? 1 : 0);
						mostStreamingAtOnce.merge(shard, streaming, Math::max);
					}
					LockSupport.parkNanos(2_000_000);
				}
			}, "balance-sampler");
			sampler.start();
			await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
				assertThat(streaming(first)).as("slots the first relay streams").isEqualTo(2);
				assertThat(streaming(second)).as("slots the second relay streams").isEqualTo(2);
			});
			int before = committed.count();
			await().atMost(Duration.ofSeconds(30)).until(() -> committed.count() > before + 100);
			first.close();
			await().atMost(Duration.ofSeconds(60)).until(() -> streaming(second) == 4);
			int after = committed.count();
			await().atMost(Duration.ofSeconds(30)).until(() -> committed.count() > after + 100);
			sampling.set(false);
			sampler.join();
		}
		assertThat(mostStreamingAtOnce).as("relays streaming each slot at once, at most").hasSize(4)
			.allSatisfy((shard, most) -> assertThat(most).as(shard).isEqualTo(1));
		Examination result = this.fixture.awaitDelivered(committed, "load", Duration.ofSeconds(120));
		assertThat(result.committed()).isGreaterThan(200);
		assertThat(result.missing()).isZero();
		assertThat(result.keysOutOfOrder()).as(result.firstOrderViolation()).isZero();
	}

	@Test
	void whenARelayIsKilledTheOtherStreamsEverySlotAndNothingIsLost() throws Exception {
		JavaProcess killed = this.fixture.startRelayProcess("balanced", list());
		await().atMost(Duration.ofSeconds(90)).until(() -> activeSlots() == 4);
		CommittedEvents committed = new CommittedEvents();
		try (BackgroundWriter writer = new BackgroundWriter(this.fixture, "load", 50, 3, committed)) {
			ConfigurableApplicationContext survivor = this.fixture.startRelayOverriding(list());
			await().atMost(Duration.ofSeconds(60)).until(() -> streaming(survivor) == 2);
			assertThat(activeSlots()).as("slots streamed, by one relay or the other").isEqualTo(4);
			int before = committed.count();
			await().atMost(Duration.ofSeconds(30)).until(() -> committed.count() > before + 100);
			killed.kill();
			await().atMost(Duration.ofSeconds(60)).until(() -> streaming(survivor) == 4);
			int after = committed.count();
			await().atMost(Duration.ofSeconds(30)).until(() -> committed.count() > after + 100);
		}
		Examination result = this.fixture.awaitDelivered(committed, "load", Duration.ofSeconds(120));
		assertThat(result.missing()).isZero();
		assertThat(result.keysOutOfOrder()).as(result.firstOrderViolation()).isZero();
	}

	private int activeSlots() {
		return Integer.parseInt(this.fixture.queryString("SELECT count(*) FROM pg_replication_slots WHERE active "
				+ "AND starts_with(slot_name, '" + this.fixture.slot + "_')"));
	}

	private String[] list() {
		return new String[] { "outbox.relay.sources[0].name=orders",
				"outbox.relay.sources[0].url=" + this.fixture.database.jdbcUrl(),
				"outbox.relay.sources[0].slot-name=" + this.fixture.slot,
				"outbox.relay.sources[0].publication-name=" + this.fixture.slot + "_pub",
				"outbox.relay.sources[0].shards=4", "outbox.relay.balance-interval=1s",
				"outbox.relay.reconnect-max-backoff=1s" };
	}

	private static long streaming(ConfigurableApplicationContext relay) {
		MeterRegistry meters = relay.getBean(MeterRegistry.class);
		return SHARDS.stream().filter((shard) -> isStreaming(meters, shard)).count();
	}

	private static boolean isStreaming(MeterRegistry meters, String source) {
		return meters.find("outbox.relay.state").tag("source", source).tag("state", "STREAMING").gauges().stream()
			.anyMatch((gauge) -> gauge.value() == 1.0);
	}

}
