package dev.outbox.relay;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import dev.outbox.testsupport.JavaProcess;
import dev.outbox.testsupport.delivery.Examination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Relay processes given the same list (one outbox in N shards) share its slots out with no
 * coordinator ({@link SlotBalance}). Two relays on 4 shards: the first streams all four, the second
 * joins and the first releases slots until each streams two. Three relays on 6 shards: the first
 * streams all six, the other two join, and they settle at the fair share ⌈6 ÷ 3⌉ = 2 each, which
 * with every slot streamed leaves no other split. In both, every slot streams in exactly one relay
 * at every sample, never two; when one relay stops, or is killed, the others take its slots, each
 * within its new share. Events written throughout are all delivered, each aggregate's in commit
 * order.
 */
class RelayBalancingIntegrationTests extends RelayIntegrationTestSupport {

	@AfterEach
	void dropShardSlots() {
		this.fixture.closeWithShardSlots();
	}

	@Test
	void twoRelaysOnOneListEachStreamSomeSlotsNeverTheSameAndOneTakesAllWhenTheOtherStops() throws Exception {
		List<String> shards = shards(4);
		balance(shards, list(4), (first, another, committed) -> {
			ConfigurableApplicationContext second = another.start();
			await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
				assertThat(streaming(first, shards)).as("slots the first relay streams").isEqualTo(2);
				assertThat(streaming(second, shards)).as("slots the second relay streams").isEqualTo(2);
			});
			awaitWrites(committed);
			first.close();
			await().atMost(Duration.ofSeconds(60)).until(() -> streaming(second, shards) == 4);
			awaitWrites(committed);
		});
	}

	@Test
	void threeRelaysOnOneListSettleAtTheirFairShareNeverStreamTheSameSlotAndTwoShareTheSlotsOfOneThatStops()
			throws Exception {
		List<String> shards = shards(6);
		// Each relay stands by for 4 of the 6 slots: retries every 1s rather than 500ms keep the
		// 12 standing-by sources from crowding the writer out of a 2-core CI machine.
		balance(shards, list(6, "outbox.relay.standby-retry-interval=1s"), (first, another, committed) -> {
			ConfigurableApplicationContext second = another.start();
			ConfigurableApplicationContext third = another.start();
			// Fair share ceil(6 / 3) = 2: all 6 streamed and none above 2 is 2 + 2 + 2, held for 3 intervals.
			await().atMost(Duration.ofSeconds(60)).during(Duration.ofSeconds(3))
				.untilAsserted(() -> assertStreamedWithinShare(List.of(first, second, third), shards, 2));
			third.close();
			// Fair share ceil(6 / 2) = 3: the two left stream all 6, none above 3.
			await().atMost(Duration.ofSeconds(60))
				.untilAsserted(() -> assertStreamedWithinShare(List.of(first, second), shards, 3));
			awaitWrites(committed);
		});
	}

	@Test
	void aStoppingRelayWithdrawsItsPresenceBeforeItFreesASlot() throws Exception {
		List<String> shards = shards(2);
		ConfigurableApplicationContext relay = this.fixture.startRelayOverriding(list(2));
		await().atMost(Duration.ofSeconds(60)).until(() -> streaming(relay, shards) == 2);
		String presenceQuery = "SELECT application_name FROM pg_stat_activity "
				+ "WHERE starts_with(application_name, 'outbox-relay ') AND datname = current_database()";
		await().atMost(Duration.ofSeconds(30)).until(() -> this.fixture.queryString(presenceQuery) != null);
		String presence = this.fixture.queryString(presenceQuery);
		// While a slot of the stopping relay is free, another relay may take it: it must not count the stopping one then.
		String sample = "SELECT (SELECT count(*) FROM pg_stat_activity WHERE application_name = ?), "
				+ "(SELECT count(*) FROM pg_replication_slots WHERE active AND starts_with(slot_name, ?))";
		List<String> seenWhileASlotWasFree = new CopyOnWriteArrayList<>();
		AtomicBoolean sampling = new AtomicBoolean(true);
		Thread sampler;
		try (Connection connection = this.fixture.database.connect();
				PreparedStatement statement = connection.prepareStatement(sample)) {
			statement.setString(1, presence);
			statement.setString(2, this.fixture.slot + "_");
			sampler = new Thread(() -> {
				while (sampling.get()) {
					try (ResultSet row = statement.executeQuery()) {
						row.next();
						if (row.getInt(1) > 0 && row.getInt(2) < 2) {
							seenWhileASlotWasFree.add(row.getInt(2) + " of 2 slots active, presence still there");
						}
					}
					catch (SQLException ex) {
						throw new IllegalStateException(ex);
					}
				}
			}, "presence-sampler");
			sampler.start();
			relay.close();
			await().atMost(Duration.ofSeconds(10)).until(() -> "0".equals(this.fixture.queryString(
					"SELECT count(*) FROM pg_stat_activity WHERE application_name = '" + presence + "'")));
			sampling.set(false);
			sampler.join();
		}
		assertThat(seenWhileASlotWasFree).as("samples in which a slot was free and the relay still present").isEmpty();
	}

	@Test
	void whenARelayIsKilledTheOtherStreamsEverySlotAndNothingIsLost() throws Exception {
		List<String> shards = shards(4);
		JavaProcess killed = this.fixture.startRelayProcess("balanced", list(4));
		await().atMost(Duration.ofSeconds(90)).until(() -> activeSlots() == 4);
		CommittedEvents committed = new CommittedEvents();
		try (BackgroundWriter writer = new BackgroundWriter(this.fixture, "load", 50, 3, committed)) {
			ConfigurableApplicationContext survivor = this.fixture.startRelayOverriding(list(4));
			await().atMost(Duration.ofSeconds(60)).until(() -> streaming(survivor, shards) == 2);
			assertThat(activeSlots()).as("slots streamed, by one relay or the other").isEqualTo(4);
			awaitWrites(committed);
			killed.kill();
			await().atMost(Duration.ofSeconds(60)).until(() -> streaming(survivor, shards) == 4);
			awaitWrites(committed);
		}
		assertEveryEventDelivered(committed);
	}

	/** Waits until the writers have committed 100 more events. */
	private static void awaitWrites(CommittedEvents committed) {
		int before = committed.count();
		await().atMost(Duration.ofSeconds(30)).until(() -> committed.count() > before + 100);
	}

	/** Every slot streamed by one of the relays, none of which streams more than its fair share. */
	private static void assertStreamedWithinShare(List<ConfigurableApplicationContext> relays, List<String> shards,
			int share) {
		long total = 0;
		for (int i = 0; i < relays.size(); i++) {
			long streaming = streaming(relays.get(i), shards);
			assertThat(streaming).as("slots relay " + i + " streams, fair share " + share).isLessThanOrEqualTo(share);
			total += streaming;
		}
		assertThat(total).as("slots streamed by the relays").isEqualTo(shards.size());
	}

	/**
	 * Starts a relay on the list and waits until it streams every slot; then, with a writer
	 * running and every relay the scenario starts sampled from its start ({@link OverlapSampler}),
	 * runs the scenario; then asserts that no slot was streamed by two relays at once and that every
	 * event was delivered, each aggregate's in commit order.
	 */
	private void balance(List<String> shards, String[] list, Scenario scenario) throws Exception {
		ConfigurableApplicationContext first = this.fixture.startRelayOverriding(list);
		await().atMost(Duration.ofSeconds(60)).until(() -> streaming(first, shards) == shards.size());
		CommittedEvents committed = new CommittedEvents();
		Map<String, Integer> mostStreamingAtOnce;
		try (BackgroundWriter writer = new BackgroundWriter(this.fixture, "load", 50, 3, committed)) {
			OverlapSampler sampler = new OverlapSampler(shards, first);
			try (sampler) {
				scenario.run(first, () -> sampler.watch(this.fixture.startRelayOverriding(list)), committed);
			}
			mostStreamingAtOnce = sampler.mostStreamingAtOnce();
		}
		assertThat(mostStreamingAtOnce).as("relays streaming each slot at once, at most").hasSize(shards.size())
			.allSatisfy((shard, most) -> assertThat(most).as(shard).isEqualTo(1));
		assertThat(committed.count()).isGreaterThan(200);
		assertEveryEventDelivered(committed);
	}

	private void assertEveryEventDelivered(CommittedEvents committed) {
		Examination result = this.fixture.awaitDelivered(committed, "load", Duration.ofSeconds(120));
		assertThat(result.missing()).isZero();
		assertThat(result.keysOutOfOrder()).as(result.firstOrderViolation()).isZero();
	}

	private int activeSlots() {
		return Integer.parseInt(this.fixture.queryString("SELECT count(*) FROM pg_replication_slots WHERE active "
				+ "AND starts_with(slot_name, '" + this.fixture.slot + "_')"));
	}

	/** The list every relay of a test is given: one outbox in {@code shards} shards, and any more settings. */
	private String[] list(int shards, String... more) {
		return Stream.concat(Stream.of("outbox.relay.sources[0].name=orders",
				"outbox.relay.sources[0].url=" + this.fixture.database.jdbcUrl(),
				"outbox.relay.sources[0].slot-name=" + this.fixture.slot,
				"outbox.relay.sources[0].publication-name=" + this.fixture.slot + "_pub",
				"outbox.relay.sources[0].shards=" + shards, "outbox.relay.balance-interval=1s",
				"outbox.relay.reconnect-max-backoff=1s"), Stream.of(more)).toArray(String[]::new);
	}

	/** The sources the list's entry becomes: {@code orders-0} to {@code orders-<count - 1>}. */
	private static List<String> shards(int count) {
		return IntStream.range(0, count).mapToObj((index) -> "orders-" + index).toList();
	}

	private static long streaming(ConfigurableApplicationContext relay, List<String> shards) {
		MeterRegistry meters = relay.getBean(MeterRegistry.class);
		return shards.stream().filter((shard) -> isStreaming(meters, shard)).count();
	}

	private static boolean isStreaming(MeterRegistry meters, String source) {
		return meters.find("outbox.relay.state").tag("source", source).tag("state", "STREAMING").gauges().stream()
			.anyMatch((gauge) -> gauge.value() == 1.0);
	}

	/** What a balancing test does once its first relay streams every slot. */
	@FunctionalInterface
	private interface Scenario {

		void run(ConfigurableApplicationContext first, AnotherRelay another, CommittedEvents committed)
				throws Exception;

	}

	/** Starts another relay on the test's list, sampled from its start. */
	@FunctionalInterface
	private interface AnotherRelay {

		ConfigurableApplicationContext start();

	}

	/**
	 * Samples, every 2 ms until closed, how many of the relays it watches stream each slot at once,
	 * keeping the most seen per slot. It reads their meter registries, which outlive their
	 * contexts: a closed relay's still shows its sources' state.
	 */
	private static final class OverlapSampler implements AutoCloseable {

		private final Map<String, Integer> mostStreamingAtOnce = new ConcurrentHashMap<>();

		private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();

		private final AtomicBoolean sampling = new AtomicBoolean(true);

		private final Thread thread;

		OverlapSampler(List<String> shards, ConfigurableApplicationContext relay) {
			watch(relay);
			this.thread = new Thread(() -> {
				while (this.sampling.get()) {
					for (String shard : shards) {
						int streaming = (int) this.registries.stream().filter((meters) -> isStreaming(meters, shard))
							.count();
						this.mostStreamingAtOnce.merge(shard, streaming, Math::max);
					}
					LockSupport.parkNanos(2_000_000);
				}
			}, "balance-sampler");
			this.thread.start();
		}

		/**
		 * Samples this relay too, from now on.
		 * @param relay a relay just started
		 * @return the relay
		 */
		ConfigurableApplicationContext watch(ConfigurableApplicationContext relay) {
			this.registries.add(relay.getBean(MeterRegistry.class));
			return relay;
		}

		/** @return per slot, the most relays seen streaming it at once */
		Map<String, Integer> mostStreamingAtOnce() {
			return Map.copyOf(this.mostStreamingAtOnce);
		}

		@Override
		public void close() throws InterruptedException {
			this.sampling.set(false);
			this.thread.join();
		}

	}

}
