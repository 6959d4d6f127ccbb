package dev.outbox.relay;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import dev.outbox.testsupport.delivery.Examination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One outbox sharded over two slots ({@code outbox.relay.sources[0].shards=2}) on the real
 * PostgreSQL and Kafka: the relay defines each shard's publication with its own hash filter,
 * streams both, delivers every event in per-aggregate order, and each slot carries only its
 * shard's aggregates. A foreign filter on a shard's publication and a changed shard count are
 * refused at startup.
 */
class RelayShardedSourceIntegrationTests extends RelayIntegrationTestSupport {

	private static final int AGGREGATES = 40;

	private static final Pattern AGGREGATE = Pattern.compile("agg-\\d{3}");

	@AfterEach
	void dropShardSlots() {
		this.fixture.closeWithShardSlots();
	}

	@Test
	void twoShardsDeliverEveryEventInAggregateOrderAndEachSlotCarriesOnlyItsShardsAggregates() throws Exception {
		ConfigurableApplicationContext relay = this.fixture.startRelayOverriding(shardedSource(2));
		awaitStreaming(relay, "orders-0", "orders-1");
		assertThat(rowFilter(publication(0))).isEqualTo("(((hashtext((aggregate_id)::text) & 2147483647) % 2) = 0)");
		assertThat(rowFilter(publication(1))).isEqualTo("(((hashtext((aggregate_id)::text) & 2147483647) % 2) = 1)");
		CommittedEvents committed = new CommittedEvents();
		for (int round = 0; round < 3; round++) {
			writeEveryAggregate(committed, 1 + round);
		}
		assertDelivered(committed);
		assertThat(published(relay, "orders-0") + published(relay, "orders-1")).as("events published by both shards")
			.isEqualTo(committed.count());
		assertThat(published(relay, "orders-0")).as("shard 0 published some").isPositive();
		assertThat(published(relay, "orders-1")).as("shard 1 published some").isPositive();
		relay.close();

		writeEveryAggregate(committed, 2); // while no relay streams: the slots keep it, each its own shard
		Set<String> shard0 = aggregatesIn(slot(0), publication(0));
		Set<String> shard1 = aggregatesIn(slot(1), publication(1));
		assertThat(shard0).as("aggregates in shard 0's slot").isEqualTo(aggregatesHashingTo(0, 2)).isNotEmpty();
		assertThat(shard1).as("aggregates in shard 1's slot").isEqualTo(aggregatesHashingTo(1, 2)).isNotEmpty();
		assertThat(shard0).doesNotContainAnyElementsOf(shard1);
		assertThat(shard0.size() + shard1.size()).isEqualTo(AGGREGATES);

		awaitStreaming(this.fixture.startRelayOverriding(shardedSource(2)), "orders-0", "orders-1");
		assertDelivered(committed);
	}

	@Test
	void aShardPublicationWithAFilterTheRelayDoesNotDefineIsRefusedNamingTheShardsSetting() {
		this.fixture.execute("CREATE PUBLICATION " + publication(1) + " FOR TABLE public.outbox_event "
				+ "WHERE (abs(hashtext(aggregate_id)) % 2 = 1) WITH (publish = 'insert')");
		String message = this.fixture.startupFailure(shardedSource(2));
		assertThat(message).contains("Publication " + publication(1))
			.contains("is shard 1 of 2 (outbox.relay.sources[0].shards)")
			.contains("has a row filter the relay does not define (WHERE ((abs(hashtext((aggregate_id)::text)) % 2) = 1))")
			.contains("ALTER PUBLICATION \"" + publication(1) + "\" SET TABLE public.outbox_event WHERE "
					+ "((hashtext(aggregate_id) & 2147483647) % 2 = 1)");
		assertThat(slotExists(slot(1))).as("slot of a refused shard").isFalse();
	}

	@Test
	void aChangedShardCountIsRefusedWhileTheOldSlotsOrPublicationsExist() {
		ConfigurableApplicationContext unsharded = this.fixture.startRelayOverriding(shardedSource(1));
		awaitStreaming(unsharded, "orders");
		unsharded.close();
		assertThat(this.fixture.startupFailure(shardedSource(2)))
			.contains("sharded in 2 (outbox.relay.sources[0].shards=2), but slot " + this.fixture.slot + " exists")
			.contains("let the relays drain every old slot");
		assertThat(slotExists(slot(0))).as("a shard slot created beside the unsharded one").isFalse();
		await().atMost(Duration.ofSeconds(30)).until(() -> "1".equals(this.fixture.queryString("SELECT count(*) FROM "
				+ "(SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '"
				+ this.fixture.slot + "' AND NOT active) dropped")));

		ConfigurableApplicationContext sharded = this.fixture.startRelayOverriding(shardedSource(2));
		awaitStreaming(sharded, "orders-0", "orders-1");
		sharded.close();
		assertThat(this.fixture.startupFailure(shardedSource(4))).contains("sharded in 4")
			.contains("publication " + publication(0) + " filters for shard 0 of 2")
			.contains("drop the old slots (pg_drop_replication_slot) and publications (DROP PUBLICATION) named "
					+ this.fixture.slot + "_<i> and " + this.fixture.slot + "_pub_<i>");
		assertThat(slotExists(slot(2))).as("a slot of the new count").isFalse();
		assertThat(this.fixture.startupFailure(shardedSource(3, "outbox.relay.sources[0].publication-name=other_pub")))
			.as("publications of another name, the old slots still there").contains("sharded in 3")
			.contains("slot " + slot(0) + " (without its publication)");
	}

	@Test
	void goingBackToOneShardIsRefusedWhileShardPublicationsOnTheTableExistButNotForShardSlotNamesAlone() {
		ConfigurableApplicationContext sharded = this.fixture.startRelayOverriding(shardedSource(2));
		awaitStreaming(sharded, "orders-0", "orders-1");
		sharded.close();
		assertThat(this.fixture.startupFailure(shardedSource(1)))
			.contains("streams its outbox unsharded (outbox.relay.sources[0].shards=1), but publications "
					+ publication(0) + " (shard 0 of 2), " + publication(1) + " (shard 1 of 2) and slots " + slot(0)
					+ ", " + slot(1) + " exist: a previous run sharded it")
			.contains("would reach Kafka out of order")
			.contains("let the relays drain every old slot")
			.contains("or set outbox.relay.sources[0].shards back to 2");
		assertThat(this.fixture.startupFailure()).as("the flat single source, of the same slot and publication")
			.contains("streams its outbox unsharded (the flat outbox.relay.* settings, which cannot shard it)")
			.contains("or list the source under outbox.relay.sources with shards=2");
		assertThat(slotExists(this.fixture.slot)).as("the unsharded slot").isFalse();
		assertThat(this.fixture.queryString("SELECT 1 FROM pg_publication WHERE pubname = '" + this.fixture.slot + "_pub'"))
			.as("the unsharded publication").isNull();

		String otherTable = "public." + this.fixture.database.uniqueName("other_outbox");
		this.fixture.createOutboxTable(otherTable);
		this.fixture.execute("ALTER PUBLICATION " + publication(0) + " SET TABLE " + otherTable
				+ " WHERE ((hashtext(aggregate_id) & 2147483647) % 2 = 0)");
		this.fixture.execute("DROP PUBLICATION " + publication(1));
		ConfigurableApplicationContext unsharded = this.fixture.startRelayOverriding(shardedSource(1));
		awaitStreaming(unsharded, "orders");
		assertThat(slotExists(slot(0)) && slotExists(slot(1)))
			.as("shard slots left, their publications another table's or dropped").isTrue();
	}

	/** Source {@code orders}: this test's database, slot and publication, in {@code shards} shards. */
	private String[] shardedSource(int shards, String... more) {
		List<String> settings = new ArrayList<>(List.of("outbox.relay.sources[0].name=orders",
				"outbox.relay.sources[0].url=" + this.fixture.database.jdbcUrl(),
				"outbox.relay.sources[0].slot-name=" + this.fixture.slot,
				"outbox.relay.sources[0].publication-name=" + this.fixture.slot + "_pub",
				"outbox.relay.sources[0].shards=" + shards, "outbox.relay.reconnect-max-backoff=1s"));
		settings.addAll(List.of(more));
		return settings.toArray(String[]::new);
	}

	private String slot(int shard) {
		return this.fixture.slot + "_" + shard;
	}

	private String publication(int shard) {
		return this.fixture.slot + "_pub_" + shard;
	}

	private void writeEveryAggregate(CommittedEvents committed, int events) {
		for (int aggregate = 0; aggregate < AGGREGATES; aggregate++) {
			String id = "agg-%03d".formatted(aggregate);
			committed.committed(id, this.fixture.writeTransaction("load", id, events));
		}
	}

	private void assertDelivered(CommittedEvents committed) {
		Examination result = this.fixture.awaitDelivered(committed, "load", Duration.ofSeconds(60));
		assertThat(result.missing()).isZero();
		assertThat(result.keysOutOfOrder()).as(result.firstOrderViolation()).isZero();
	}

	private static void awaitStreaming(ConfigurableApplicationContext relay, String... sources) {
		MeterRegistry meters = relay.getBean(MeterRegistry.class);
		await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(sources).allSatisfy((source) -> assertThat(
				meters.get("outbox.relay.state").tag("source", source).tag("state", "STREAMING").gauge().value())
			.as("source " + source + " streaming").isEqualTo(1.0)));
	}

	private static double published(ConfigurableApplicationContext relay, String source) {
		return relay.getBean(MeterRegistry.class).find("outbox.relay.events.published").tag("source", source)
			.counters().stream().mapToDouble((counter) -> counter.count()).sum();
	}

	private String rowFilter(String publication) {
		return this.fixture.queryString("SELECT rowfilter FROM pg_publication_tables WHERE pubname = '" + publication + "'");
	}

	private boolean slotExists(String slot) {
		return this.fixture.queryString("SELECT 1 FROM pg_replication_slots WHERE slot_name = '" + slot + "'") != null;
	}

	/** The aggregates of the INSERTs a slot holds, read without consuming them. */
	private Set<String> aggregatesIn(String slot, String publication) throws SQLException {
		Set<String> aggregates = new TreeSet<>();
		String peek = "SELECT data FROM pg_logical_slot_peek_binary_changes('" + slot + "', NULL, NULL, 'proto_version', "
				+ "'1', 'publication_names', '" + publication + "') WHERE get_byte(data, 0) = ascii('I')";
		try (Connection connection = this.fixture.database.connect(); Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery(peek)) {
			while (rows.next()) {
				Matcher matcher = AGGREGATE.matcher(new String(rows.getBytes(1), StandardCharsets.ISO_8859_1));
				assertThat(matcher.find()).as("an INSERT with an aggregate id").isTrue();
				aggregates.add(matcher.group());
			}
		}
		return aggregates;
	}

	/** The test's aggregates whose hash falls in the shard, by PostgreSQL's own hashtext. */
	private Set<String> aggregatesHashingTo(int index, int count) throws SQLException {
		Set<String> aggregates = new TreeSet<>();
		String sql = "SELECT id FROM (SELECT 'agg-' || lpad(g::text, 3, '0') AS id FROM generate_series(0, "
				+ (AGGREGATES - 1) + ") g) a WHERE (hashtext(id) & 2147483647) % " + count + " = " + index;
		try (Connection connection = this.fixture.database.connect(); Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery(sql)) {
			while (rows.next()) {
				aggregates.add(rows.getString(1));
			}
		}
		return aggregates;
	}

}
