package dev.outbox.relay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;

import dev.outbox.testsupport.TestDatabase;


import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A record Kafka rejects for good (larger than the producer's {@code max.request.size}, or than
 * the topic's {@code max.message.bytes}) stops the relay with health DOWN naming the event and its
 * LSN, and nothing from its transaction on is confirmed; with
 * {@code outbox.relay.dead-letter-topic} it goes there instead and the stream goes on.
 */
class RelayRejectedRecordIntegrationTests extends RelayIntegrationTestSupport {

	private static final String SMALL_REQUESTS = "spring.kafka.producer.properties.max.request.size=2000";


	@Test
	void recordLargerThanMaxRequestSizeStopsTheRelayNamingTheEventAndLsnAndConfirmsNothingFromIt() {
		ConfigurableApplicationContext relay = this.fixture.startRelayOverriding(SMALL_REQUESTS);
		List<String> first = this.fixture.writeTransaction("rejected", "agg-1", 2);
		awaitRecords(this.fixture.topic("rejected"), first.size());
		String tooLarge = this.fixture.writeLargeEvent("rejected", "agg-1", 5_000);
		List<String> later = this.fixture.writeTransaction("rejected", "agg-1", 2);
		String afterWrites = this.fixture.queryString("SELECT pg_current_wal_lsn()::text");

		HealthIndicator health = relay.getBean("outboxRelay", HealthIndicator.class);
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			Map<String, Object> details = health.health(true).getDetails();
			assertThat(health.health(true).getStatus()).isEqualTo(Status.DOWN);
			assertThat(details).containsEntry("state", "failed").containsEntry("failedEventId", tooLarge)
				.containsKey("failedLsn");
			assertThat(String.valueOf(details.get("message"))).contains("Event " + tooLarge)
				.contains("RecordTooLargeException")
				.contains("outbox.relay.dead-letter-topic");
		});
		assertThat(relay.getBean(MeterRegistry.class).get("outbox.relay.failures").functionCounter().count())
			.isEqualTo(1);
		String failedLsn = String.valueOf(health.health(true).getDetails().get("failedLsn"));
		assertThat(failedLsn).matches("[0-9A-F]+/[0-9A-F]+");
		// The failed event's transaction, and everything after it, stays unconfirmed, so a restart
		// (after the fix) re-sends it: the slot stays at or before the failed INSERT, hence before
		// its commit (the previous commit may end exactly where that INSERT starts).
		await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
			.until(() -> !this.fixture.lsnBefore(failedLsn, this.fixture.slotColumn("confirmed_flush_lsn")));
		assertThat(this.fixture.lsnBefore(this.fixture.slotColumn("confirmed_flush_lsn"), afterWrites)).isTrue();

		// Fixed (default max.request.size) and restarted: the server re-sends from the confirmed
		// position, so the rejected event and those after it are published.
		relay.close();
		this.fixture.startRelay();
		List<ConsumerRecord<String, String>> records = new ArrayList<>();
		try (KafkaConsumer<String, String> consumer = this.fixture.consumer(this.fixture.topic("rejected"))) {
			RelayFixture.pollUntil(consumer, records, (all) -> ids(all).containsAll(later) && ids(all).contains(tooLarge),
					Duration.ofSeconds(60));
		}
	}

	@Test
	void recordLargerThanMaxRequestSizeGoesToTheDeadLetterTopicAndLaterEventsFlow() throws Exception {
		String deadLetters = this.fixture.createDeadLetterTopic();
		ConfigurableApplicationContext relay = this.fixture.startRelayOverriding(SMALL_REQUESTS,
				"outbox.relay.dead-letter-topic=" + deadLetters);
		HealthIndicator health = relay.getBean("outboxRelay", HealthIndicator.class);
		String tooLarge = this.fixture.writeLargeEvent("dlq", "agg-1", 5_000);
		List<String> later = this.fixture.writeTransaction("dlq", "agg-1", 3);
		String afterWrites = this.fixture.queryString("SELECT pg_current_wal_lsn()::text");

		List<ConsumerRecord<String, String>> dead = awaitRecords(deadLetters, 1, health);
		assertThat(dead).hasSize(1);
		assertThat(RelayFixture.header(dead.get(0), "id")).isEqualTo(tooLarge);
		assertThat(RelayFixture.header(dead.get(0), "dlq.error")).contains("RecordTooLargeException");
		assertThat(dead.get(0).key()).isEqualTo("agg-1");
		MeterRegistry meters = relay.getBean(MeterRegistry.class);
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(meters.get("outbox.relay.dead.letters").functionCounter().count())
				.isEqualTo(1));

		List<ConsumerRecord<String, String>> published = awaitRecords(this.fixture.topic("dlq"), later.size(), health);
		assertThat(ids(published)).containsExactlyElementsOf(later);
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			assertThat(health.health(true).getStatus()).isEqualTo(Status.UP);
			assertThat(health.health(true).getDetails()).containsEntry("state", "streaming");
			assertThat(this.fixture.lsnBefore(this.fixture.slotColumn("confirmed_flush_lsn"), afterWrites)).isFalse();
		});
	}

	@Test
	void recordTheBrokerRejectsAsTooLargeGoesToTheDeadLetterTopicAndLaterEventsOfTheSameKeyFlow() throws Exception {
		String topic = this.fixture.topic("limited");
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
				this.fixture.broker.bootstrapServers()))) {
			admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1)
				.configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "2000")))).all().get(30, TimeUnit.SECONDS);
		}
		String deadLetters = this.fixture.createDeadLetterTopic();
		// batch.size below the topic's limit: kafka-clients 4.1 splits a rejected batch only down to
		// batch.size, so with the relay's 256 KiB default it would split and retry forever
		// (KAFKA-8350) instead of failing the one record that is too large.
		ConfigurableApplicationContext relay = this.fixture.startRelayOverriding(
				"outbox.relay.dead-letter-topic=" + deadLetters, "spring.kafka.producer.batch-size=1000");
		HealthIndicator health = relay.getBean("outboxRelay", HealthIndicator.class);
		List<String> before = this.fixture.writeTransaction("limited", "agg-1", 2);
		String tooLarge = this.fixture.writeLargeEvent("limited", "agg-1", 5_000);
		List<String> later = this.fixture.writeTransaction("limited", "agg-1", 3);
		String afterWrites = this.fixture.queryString("SELECT pg_current_wal_lsn()::text");

		List<ConsumerRecord<String, String>> dead = awaitRecords(deadLetters, 1, health);
		assertThat(dead).extracting((record) -> RelayFixture.header(record, "id")).containsExactly(tooLarge);
		assertThat(RelayFixture.header(dead.get(0), "dlq.error")).contains("RecordTooLargeException");
		List<String> expected = new ArrayList<>(before);
		expected.addAll(later);
		List<ConsumerRecord<String, String>> published = awaitRecords(topic, expected.size(), health);
		assertThat(ids(published)).containsExactlyElementsOf(expected);
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			assertThat(health.health(true).getStatus()).isEqualTo(Status.UP);
			assertThat(health.health(true).getDetails()).containsEntry("state", "streaming");
			assertThat(this.fixture.lsnBefore(this.fixture.slotColumn("confirmed_flush_lsn"), afterWrites)).isFalse();
		});
	}

	@Test
	void brokerRejectingTheOldestEventOfAFullWindowDeadLettersItAndTheStreamGoesOn() throws Exception {
		String topic = createLimitedTopic("window");
		String deadLetters = this.fixture.createDeadLetterTopic();
		// A window of two events: the reader waits for capacity right behind the rejected event,
		// so the dead letter must be sent while it waits, not only when it reads again.
		ConfigurableApplicationContext relay = this.fixture.startRelayOverriding(
				"outbox.relay.dead-letter-topic=" + deadLetters, "spring.kafka.producer.batch-size=1000",
				"outbox.relay.max-in-flight=2");
		HealthIndicator health = relay.getBean("outboxRelay", HealthIndicator.class);
		List<String> written = this.fixture.writeLargeThenSmallEvents("window", "agg-1", 5_000, 20);

		List<ConsumerRecord<String, String>> dead = awaitRecords(deadLetters, 1, health);
		assertThat(dead).extracting((record) -> RelayFixture.header(record, "id")).containsExactly(written.get(0));
		List<ConsumerRecord<String, String>> published = awaitRecords(topic, written.size() - 1, health);
		assertThat(ids(published)).containsExactlyElementsOf(written.subList(1, written.size()));
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			assertThat(health.health(true).getStatus()).isEqualTo(Status.UP);
			assertThat(health.health(true).getDetails()).containsEntry("state", "streaming");
		});
	}

	@Test
	void rejectedEventKeepsLaterEventsOfItsAggregateOutOfKafkaSoThatOrderHoldsAfterTheFixAndRestart()
			throws Exception {
		String topic = createLimitedTopic("ordered");
		String[] settings = { "spring.kafka.producer.batch-size=1000" };
		ConfigurableApplicationContext relay = this.fixture.startRelayOverriding(settings);
		HealthIndicator health = relay.getBean("outboxRelay", HealthIndicator.class);
		List<String> written = this.fixture.writeLargeThenSmallEvents("ordered", "agg-1", 5_000, 40);
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(health.health(true).getDetails()).containsEntry("state", "failed")
				.containsEntry("failedEventId", written.get(0)));
		relay.close();

		// The operator raises the topic's limit and restarts: the first occurrence of every event
		// must still come in commit order, the rejected one first.
		try (Admin admin = admin()) {
			admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, topic),
					List.of(new AlterConfigOp(new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "100000"),
							AlterConfigOp.OpType.SET))))
				.all().get(30, TimeUnit.SECONDS);
		}
		this.fixture.startRelayOverriding(settings);
		List<ConsumerRecord<String, String>> records = new ArrayList<>();
		try (KafkaConsumer<String, String> consumer = this.fixture.consumer(topic)) {
			RelayFixture.pollUntil(consumer, records, (all) -> ids(all).containsAll(written), Duration.ofSeconds(60));
		}
		assertThat(ids(records).stream().distinct().toList()).as("first occurrences in commit order")
			.containsExactlyElementsOf(written);
	}

	@Test
	void initialSnapshotDeadLettersARejectedRowAndGoesOnStreaming(TestDatabase database) throws Exception {
		String table = "public." + database.uniqueName("kept_outbox");
		this.fixture.createOutboxTable(table);
		List<String> kept = this.fixture.writeKeptRows(table, "snapdlq", "agg-1", 3);
		String tooLarge = UUID.randomUUID().toString();
		this.fixture.execute("INSERT INTO " + table + " (id, aggregate_type, aggregate_id, event_type, payload) "
				+ "VALUES ('" + tooLarge + "', 'snapdlq', 'agg-1', 'Large', jsonb_build_object('blob', repeat('x', 5000)))");
		List<String> keptAfter = this.fixture.writeKeptRows(table, "snapdlq", "agg-1", 3);
		String deadLetters = this.fixture.createDeadLetterTopic();
		ConfigurableApplicationContext relay = this.fixture.startRelayOverriding(SMALL_REQUESTS,
				"outbox.relay.table=" + table, "outbox.relay.snapshot-mode=initial",
				"outbox.relay.dead-letter-topic=" + deadLetters);
		HealthIndicator health = relay.getBean("outboxRelay", HealthIndicator.class);

		List<ConsumerRecord<String, String>> dead = awaitRecords(deadLetters, 1, health);
		assertThat(dead).extracting((record) -> RelayFixture.header(record, "id")).containsExactly(tooLarge);
		List<String> expected = new ArrayList<>(kept);
		expected.addAll(keptAfter);
		List<ConsumerRecord<String, String>> published = awaitRecords(this.fixture.topic("snapdlq"),
				expected.size(), health);
		assertThat(ids(published)).containsExactlyInAnyOrderElementsOf(expected);
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(health.health(true).getDetails()).containsEntry("state", "streaming"));
	}

	@Test
	void missingDeadLetterTopicStopsStartupNamingTheTopicAndTheSettingWhenTopicsAreNotCreated() {
		String deadLetters = this.fixture.topicPrefix + ".missing-dead-letters";
		assertThatThrownBy(() -> this.fixture.startRelayOverriding("outbox.relay.topics.create=false",
				"outbox.relay.dead-letter-topic=" + deadLetters))
			.hasStackTraceContaining(deadLetters)
			.hasStackTraceContaining("outbox.relay.dead-letter-topic")
			.hasStackTraceContaining("outbox.relay.topics.create");
	}

	private String createLimitedTopic(String aggregateType) throws Exception {
		String topic = this.fixture.topic(aggregateType);
		try (Admin admin = admin()) {
			admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1)
				.configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "2000")))).all().get(30, TimeUnit.SECONDS);
		}
		return topic;
	}

	private Admin admin() {
		return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, this.fixture.broker.bootstrapServers()));
	}

	/**
	 * A row written by plain SQL with a user header named {@code id} would become a record with two
	 * {@code id} headers, and the inbox, which reads the last, would take later events carrying it
	 * for duplicates. The relay refuses the row instead: to the dead-letter topic here.
	 */
	@Test
	void rowWithAHeaderNamedIdGoesToTheDeadLetterTopicAndNoRecordHasTwoIdHeaders() throws Exception {
		String deadLetters = this.fixture.createDeadLetterTopic();
		ConfigurableApplicationContext relay = this.fixture
			.startRelayOverriding("outbox.relay.dead-letter-topic=" + deadLetters);
		HealthIndicator health = relay.getBean("outboxRelay", HealthIndicator.class);
		String reserved = java.util.UUID.randomUUID().toString();
		this.fixture.execute("BEGIN; INSERT INTO outbox_event (id, aggregate_type, aggregate_id, event_type, payload, "
				+ "headers) VALUES ('" + reserved + "', 'reserved', 'agg-1', 'E', '{}', '{\"id\": \"x\"}'); "
				+ "DELETE FROM outbox_event; COMMIT;");
		List<String> later = this.fixture.writeTransaction("reserved", "agg-1", 2);

		List<ConsumerRecord<String, String>> published = awaitRecords(this.fixture.topic("reserved"), later.size(),
				health);
		assertThat(published).allSatisfy((record) -> assertThat(record.headers().headers("id"))
			.as("id headers of the record of event %s", RelayFixture.header(record, "id"))
			.hasSize(1));
		assertThat(ids(published)).containsExactlyElementsOf(later);
		List<ConsumerRecord<String, String>> dead = awaitRecords(deadLetters, 1, health);
		assertThat(ids(dead)).containsExactly(reserved);
		assertThat(RelayFixture.header(dead.get(0), "dlq.error")).contains("Event " + reserved)
			.contains("Header name 'id' is reserved");
	}

	private List<ConsumerRecord<String, String>> awaitRecords(String topic, int count) {
		return awaitRecords(topic, count, null);
	}

	/** Consumes until {@code count} records arrived, failing at once if the relay stops. */
	private List<ConsumerRecord<String, String>> awaitRecords(String topic, int count, HealthIndicator relayHealth) {
		try (KafkaConsumer<String, String> consumer = this.fixture.consumer(topic)) {
			return RelayFixture.pollUntil(consumer, new ArrayList<>(), (all) -> {
				if (relayHealth != null && "failed".equals(relayHealth.health(true).getDetails().get("state"))) {
					throw new AssertionError("The relay stopped instead of dead-lettering: "
							+ relayHealth.health(true).getDetails().get("message"));
				}
				return all.size() >= count;
			}, Duration.ofSeconds(60));
		}
	}

	private static List<String> ids(List<ConsumerRecord<String, String>> records) {
		return records.stream().map((record) -> RelayFixture.header(record, "id")).toList();
	}

}
