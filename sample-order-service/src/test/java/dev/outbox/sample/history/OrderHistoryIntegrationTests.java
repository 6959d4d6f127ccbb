package dev.outbox.sample.history;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.outbox.sample.order.events.OrderCancelled;
import dev.outbox.sample.order.events.OrderEvent;
import dev.outbox.sample.order.events.OrderPlaced;
import dev.outbox.starter.inbox.Inbox;
import dev.outbox.testsupport.KafkaBroker;
import dev.outbox.testsupport.KafkaTest;
import dev.outbox.testsupport.PostgresTest;
import dev.outbox.testsupport.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.IllegalTransactionStateException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * The order-history consumer against a real Kafka broker and PostgreSQL: records shaped as the
 * relay publishes them (key = order id, value = payload JSON, headers {@code id},
 * {@code eventType}, {@code aggregateType}) are applied once per event id through the starter's
 * inbox, however often they are delivered; a failed history write leaves no inbox record, so the
 * event is applied when it comes again.
 */
@PostgresTest
@KafkaTest
@SpringBootTest
class OrderHistoryIntegrationTests {

	private static final String TOPIC = "sample-order-events-" + UUID.randomUUID();

	private static TestDatabase database;

	private static KafkaBroker kafka;

	private static KafkaProducer<String, String> producer;

	@Autowired
	private OrderHistory history;

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private JsonMapper json;

	@Autowired
	private Inbox inbox;

	@Autowired
	private PlatformTransactionManager transactionManager;

	@Autowired
	private MeterRegistry meterRegistry;

	@BeforeAll
	static void servers(TestDatabase testDatabase, KafkaBroker broker) throws Exception {
		database = testDatabase;
		kafka = broker;
		// One partition: a record sent after others is consumed after them, whatever its key.
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
			admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
		}
		producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
				ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
				ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));
	}

	@AfterAll
	static void closeProducer() {
		producer.close(Duration.ofSeconds(10));
	}

	@DynamicPropertySource
	static void servers(DynamicPropertyRegistry registry) {
		registry.add("spring.datasource.url", () -> database.jdbcUrl());
		registry.add("spring.datasource.username", () -> database.username());
		registry.add("spring.datasource.password", () -> database.password());
		registry.add("spring.kafka.bootstrap-servers", () -> kafka.bootstrapServers());
		registry.add("sample.order-events.topic", () -> TOPIC);
	}

	@Test
	void anEventDeliveredTwiceIsAppliedOnce() throws Exception {
		UUID orderId = UUID.randomUUID();
		UUID placedId = UUID.randomUUID();
		OrderPlaced placed = new OrderPlaced(orderId, "customer-1", "EUR", new BigDecimal("25.00"),
				List.of(new OrderPlaced.Line("BOOK-1", 2, new BigDecimal("12.50"))), now());

		send(placedId, OrderPlaced.TYPE, placed);
		send(placedId, OrderPlaced.TYPE, placed);
		UUID cancelledId = UUID.randomUUID();
		send(cancelledId, OrderCancelled.TYPE, new OrderCancelled(orderId, "changed my mind", now()));

		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(this.history.of(orderId)).extracting(OrderHistoryEntry::eventId)
				.containsExactly(placedId, cancelledId));
		// A redelivery arriving after later events, as after a relay restart: still skipped.
		send(placedId, OrderPlaced.TYPE, placed);
		UUID marker = sendMarker();
		await().atMost(Duration.ofSeconds(30)).until(() -> processed(marker));

		assertThat(this.history.of(orderId)).extracting(OrderHistoryEntry::eventType, OrderHistoryEntry::status)
			.containsExactly(tuple(OrderPlaced.TYPE, "PLACED"),
					tuple(OrderCancelled.TYPE, "CANCELLED"));
		assertThat(this.history.of(orderId).get(0).occurredAt()).isEqualTo(placed.occurredAt());
		assertThat(processed(placedId)).isTrue();
		assertThat(processed(cancelledId)).isTrue();
		assertThat(this.meterRegistry.get("outbox.inbox.duplicates")
			.tag("consumer", OrderEventListener.CONSUMER)
			.counter()
			.count()).isGreaterThanOrEqualTo(2);
	}

	@Test
	void aHistoryWriteThatFailsLeavesNoInboxRecordSoTheEventIsAppliedWhenItComesAgain() throws Exception {
		UUID orderId = UUID.randomUUID();
		UUID eventId = UUID.randomUUID();
		OrderCancelled cancelled = new OrderCancelled(orderId, "broken first", now());

		// Without occurredAt the history write fails, every retry of the container too.
		send(eventId, OrderCancelled.TYPE, "{\"orderId\":\"" + orderId + "\"}", orderId.toString());
		UUID marker = sendMarker();
		await().atMost(Duration.ofSeconds(30)).until(() -> processed(marker));
		assertThat(processed(eventId)).isFalse();
		assertThat(this.history.of(orderId)).isEmpty();

		send(eventId, OrderCancelled.TYPE, cancelled);

		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(this.history.of(orderId)).extracting(OrderHistoryEntry::eventId)
				.containsExactly(eventId));
		assertThat(processed(eventId)).isTrue();
	}

	@Test
	void aRecordWithoutIdHeaderIsNeverApplied() throws Exception {
		UUID orderId = UUID.randomUUID();
		ProducerRecord<String, String> record = new ProducerRecord<>(TOPIC, orderId.toString(),
				this.json.writeValueAsString(new OrderCancelled(orderId, "no id", now())));
		record.headers().add("eventType", OrderCancelled.TYPE.getBytes(StandardCharsets.UTF_8));
		producer.send(record).get(30, TimeUnit.SECONDS);

		UUID marker = sendMarker();
		await().atMost(Duration.ofSeconds(30)).until(() -> processed(marker));

		assertThat(this.history.of(orderId)).isEmpty();
	}

	@Test
	void applyingTheSameEventTwiceThroughTheInboxWritesOneEntry() {
		UUID orderId = UUID.randomUUID();
		ReceivedOrderEvent event = new ReceivedOrderEvent(UUID.randomUUID(), OrderCancelled.TYPE,
				new OrderCancelled(orderId, "duplicate", now()));
		TransactionTemplate transaction = new TransactionTemplate(this.transactionManager);

		for (int delivery = 0; delivery < 2; delivery++) {
			transaction.executeWithoutResult((status) -> this.inbox.applyOnce(OrderEventListener.CONSUMER,
					event.eventId().toString(), () -> this.history.apply(event)));
		}

		assertThat(this.history.of(orderId)).hasSize(1);
	}

	@Test
	void theHistoryIsWrittenOnlyInTheTransactionOfTheInbox() {
		UUID orderId = UUID.randomUUID();
		ReceivedOrderEvent event = new ReceivedOrderEvent(UUID.randomUUID(), OrderCancelled.TYPE,
				new OrderCancelled(orderId, "no transaction", now()));

		assertThatExceptionOfType(IllegalTransactionStateException.class).isThrownBy(() -> this.history.apply(event));

		assertThat(this.history.of(orderId)).isEmpty();
	}

	private void send(UUID eventId, String eventType, OrderEvent event) throws Exception {
		send(eventId, eventType, this.json.writeValueAsString(event), event.orderId().toString());
	}

	private void send(UUID eventId, String eventType, String payload, String key) throws Exception {
		ProducerRecord<String, String> record = new ProducerRecord<>(TOPIC, key, payload);
		record.headers().add("id", eventId.toString().getBytes(StandardCharsets.UTF_8));
		record.headers().add("eventType", eventType.getBytes(StandardCharsets.UTF_8));
		record.headers().add("aggregateType", OrderEvent.AGGREGATE_TYPE.getBytes(StandardCharsets.UTF_8));
		producer.send(record).get(30, TimeUnit.SECONDS);
	}

	// Another order's event, applied after everything sent before it (the topic has one partition).
	private UUID sendMarker() throws Exception {
		UUID eventId = UUID.randomUUID();
		UUID orderId = UUID.randomUUID();
		send(eventId, OrderCancelled.TYPE, new OrderCancelled(orderId, "marker", now()));
		return eventId;
	}

	// Recorded in the inbox: applied, and skipped from now on.
	private boolean processed(UUID eventId) {
		return this.jdbc.sql("SELECT count(*) FROM inbox_event WHERE consumer = ? AND event_id = ?")
			.params(OrderEventListener.CONSUMER, eventId.toString())
			.query(Long.class)
			.single() == 1;
	}

	private static Instant now() {
		return Instant.now().truncatedTo(ChronoUnit.MICROS);
	}

}
