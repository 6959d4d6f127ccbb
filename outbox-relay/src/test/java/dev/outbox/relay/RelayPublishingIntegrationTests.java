package dev.outbox.relay;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;


import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@Tag("pg-versions")
class RelayPublishingIntegrationTests extends RelayIntegrationTestSupport {


	@BeforeEach
	void setUp() {
		this.fixture.execute("CREATE TABLE IF NOT EXISTS other_table (id bigserial PRIMARY KEY, note text)");
	}

	@Test
	void plainSqlInsertBecomesARecordWithTheDocumentedMapping() {
		this.fixture.startRelay();
		String id = UUID.randomUUID().toString();
		Instant createdAt = Instant.parse("2026-01-02T03:04:05.678Z");
		this.fixture.execute("BEGIN; INSERT INTO outbox_event (id, aggregate_type, aggregate_id, event_type, payload, headers, created_at) "
				+ "VALUES ('" + id + "', 'order', 'order-42', 'OrderPlaced', '{\"total\": 12.5, \"lines\": [\"ü\"]}', "
				+ "'{\"traceparent\": \"00-abc-def-01\", \"tenant\": \"acme\"}', '" + createdAt + "'); "
				+ "DELETE FROM outbox_event WHERE id = '" + id + "'; COMMIT;");
		try (KafkaConsumer<String, String> consumer = this.fixture.consumer(this.fixture.topic("order"))) {
			List<ConsumerRecord<String, String>> records = RelayFixture.pollUntil(consumer, new ArrayList<>(),
					(all) -> !all.isEmpty(), Duration.ofSeconds(60));
			assertThat(records).hasSize(1);
			ConsumerRecord<String, String> record = records.get(0);
			this.fixture.assertOrderPlacedMapping(record, id);
			// jsonb keeps a normalized form: keys sorted by length, then bytes
			assertThat(record.value()).isEqualTo("{\"lines\": [\"ü\"], \"total\": 12.5}");
			assertThat(record.timestamp()).isEqualTo(createdAt.toEpochMilli());
		}
	}

	@Test
	void manyEventsInOneTransactionArriveInCommitOrderPerAggregate() {
		this.fixture.startRelay();
		List<String> expected = new ArrayList<>();
		expected.addAll(this.fixture.writeTransaction("cart", "cart-1", 500));
		expected.addAll(this.fixture.writeTransaction("cart", "cart-1", 3));
		try (KafkaConsumer<String, String> consumer = this.fixture.consumer(this.fixture.topic("cart"))) {
			List<ConsumerRecord<String, String>> records = RelayFixture.pollUntil(consumer, new ArrayList<>(),
					(all) -> all.size() >= expected.size(), Duration.ofSeconds(60));
			assertThat(records).extracting((record) -> RelayFixture.header(record, "id")).containsExactlyElementsOf(expected);
		}
	}

	@Test
	void rolledBackTransactionPublishesNothing() {
		this.fixture.startRelay();
		String rolledBack = UUID.randomUUID().toString();
		this.fixture.execute("BEGIN; INSERT INTO outbox_event (id, aggregate_type, aggregate_id, event_type, payload) "
				+ "VALUES ('" + rolledBack + "', 'audit', 'a-1', 'Nope', '{}'); ROLLBACK;");
		List<String> committed = this.fixture.writeTransaction("audit", "a-1", 1);
		try (KafkaConsumer<String, String> consumer = this.fixture.consumer(this.fixture.topic("audit"))) {
			List<ConsumerRecord<String, String>> records = RelayFixture.pollUntil(consumer, new ArrayList<>(),
					(all) -> !all.isEmpty(), Duration.ofSeconds(60));
			assertThat(records).extracting((record) -> RelayFixture.header(record, "id")).containsExactlyElementsOf(committed);
		}
	}

	@Test
	void slotAdvancesWhileOnlyAnotherTableIsWritten() throws Exception {
		this.fixture.startRelay();
		awaitSlotActive();
		String before = confirmedFlushLsn();
		for (int i = 0; i < 20; i++) {
			this.fixture.execute("INSERT INTO other_table (note) VALUES ('churn " + i + "')");
		}
		String afterWrites = currentWalLsn();
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(lsnAtLeast(confirmedFlushLsn(), afterWrites))
				.as("confirmed %s should reach %s (was %s)", confirmedFlushLsn(), afterWrites, before)
				.isTrue());
	}

	@Test
	void aggregateTypeThatMakesAnIllegalTopicStopsTheRelayNamingTheEvent() {
		ConfigurableApplicationContext relay = this.fixture.startRelay();
		String id = UUID.randomUUID().toString();
		this.fixture.execute("BEGIN; INSERT INTO outbox_event (id, aggregate_type, aggregate_id, event_type, payload) "
				+ "VALUES ('" + id + "', 'bad type/with slash', 'x', 'E', '{}'); DELETE FROM outbox_event; COMMIT;");
		HealthIndicator health = relay.getBean("outboxRelay", HealthIndicator.class);
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			Health current = health.health(true);
			assertThat(current.getStatus()).isEqualTo(Status.DOWN);
			assertThat(current.getDetails()).containsEntry("state", "failed").containsEntry("failedEventId", id);
			assertThat(String.valueOf(current.getDetails().get("message"))).contains("illegal Kafka topic name")
				.contains("outbox.relay.topic-template");
		});
	}

	@Test
	void rowOfATableThatBreaksTheContractStopsTheRelayNamingTheMissingColumn() {
		this.fixture.execute("CREATE TABLE IF NOT EXISTS legacy_outbox (id uuid PRIMARY KEY, aggregate_type text, "
				+ "aggregate_id text, payload jsonb, created_at timestamptz DEFAULT now())");
		ConfigurableApplicationContext relay = this.fixture.startRelay("outbox.relay.table=public.legacy_outbox");
		this.fixture.execute("INSERT INTO legacy_outbox (id, aggregate_type, aggregate_id, payload) "
				+ "VALUES ('" + UUID.randomUUID() + "', 'legacy', 'l-1', '{}')");
		HealthIndicator health = relay.getBean("outboxRelay", HealthIndicator.class);
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			Health current = health.health(true);
			assertThat(current.getStatus()).isEqualTo(Status.DOWN);
			assertThat(current.getDetails()).containsEntry("state", "failed");
			assertThat(String.valueOf(current.getDetails().get("message"))).contains("breaks the table contract")
				.contains("lacks column event_type");
		});
	}

	@Test
	void healthReportsSlotDetailsWhileStreaming() {
		ConfigurableApplicationContext relay = this.fixture.startRelay();
		HealthIndicator health = relay.getBean("outboxRelay", HealthIndicator.class);
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			Map<String, Object> details = health.health(true).getDetails();
			assertThat(health.health(true).getStatus()).isEqualTo(Status.UP);
			assertThat(details).containsEntry("state", "streaming")
				.containsEntry("slot", this.fixture.slot)
				.containsEntry("active", true)
				.containsKeys("confirmedLsn", "retainedWalBytes", "lagBytes", "walStatus", "safeWalSize");
		});
	}

	private void awaitSlotActive() {
		await().atMost(Duration.ofSeconds(30)).until(() -> "t".equals(query(
				"SELECT active FROM pg_replication_slots WHERE slot_name = '" + this.fixture.slot + "'")));
	}

	private String confirmedFlushLsn() throws Exception {
		return query("SELECT confirmed_flush_lsn FROM pg_replication_slots WHERE slot_name = '" + this.fixture.slot + "'");
	}

	private String currentWalLsn() throws Exception {
		return query("SELECT pg_current_wal_lsn()");
	}

	private boolean lsnAtLeast(String lsn, String target) throws Exception {
		return "t".equals(query("SELECT '" + lsn + "'::pg_lsn >= '" + target + "'::pg_lsn"));
	}

	private String query(String sql) throws Exception {
		try (Connection connection = this.fixture.database.connect(); Statement statement = connection.createStatement();
				ResultSet row = statement.executeQuery(sql)) {
			return row.next() ? String.valueOf(row.getObject(1)).replace("true", "t").replace("false", "f") : null;
		}
	}

	static String utf8(byte[] bytes) {
		return new String(bytes, StandardCharsets.UTF_8);
	}

}
