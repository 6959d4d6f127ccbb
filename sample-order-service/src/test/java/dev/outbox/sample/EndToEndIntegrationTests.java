package dev.outbox.sample;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.outbox.sample.SampleApi.Response;
import dev.outbox.sample.history.OrderEventListener;
import dev.outbox.sample.order.events.OrderCancelled;
import dev.outbox.sample.order.events.OrderEvent;
import dev.outbox.sample.order.events.OrderPaid;
import dev.outbox.sample.order.events.OrderPlaced;
import dev.outbox.sample.order.events.OrderShipped;
import dev.outbox.testsupport.KafkaBroker;
import dev.outbox.testsupport.KafkaTest;
import dev.outbox.testsupport.PostgresTest;
import dev.outbox.testsupport.TestDatabase;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole loop, with nothing stubbed: the sample takes orders over HTTP and commits each event
 * to its outbox (its Flyway migrations create the table), the real relay, run from its
 * executable jar in a child JVM, streams them from the WAL to a real Kafka broker, and the
 * sample's own consumer folds them into the order status history, which converges with each
 * event applied once, in order, and nothing for a refused transition.
 * <p>
 * The relay is a {@link RelayJar}. The relay and the sample get a topic and consumer group of
 * their own, so the shared broker's other tests never see these events.
 */
@PostgresTest
@KafkaTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class EndToEndIntegrationTests {

	private static final String TOPIC_PREFIX = "e2e-" + UUID.randomUUID().toString().substring(0, 8);

	/** The relay's {@code {aggregateType}} template applied to the order events' aggregate type. */
	private static final String TOPIC = TOPIC_PREFIX + "." + OrderEvent.AGGREGATE_TYPE;

	private static final String GROUP = TOPIC_PREFIX + "-order-history";

	private static TestDatabase database;

	private static KafkaBroker kafka;

	private static KafkaProducer<String, String> producer;

	@LocalServerPort
	private int port;

	@Autowired
	private JdbcClient jdbc;

	private SampleApi api;

	private RelayJar relay;

	@BeforeAll
	static void servers(TestDatabase testDatabase, KafkaBroker broker) throws Exception {
		database = testDatabase;
		kafka = broker;
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
			admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
		}
		producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
				new StringSerializer(), new StringSerializer());
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
		registry.add("sample.order-events.group-id", () -> GROUP);
	}

	// The sample's context, and so its outbox table, exists by now.
	@BeforeEach
	void startRelay() {
		this.api = new SampleApi("http://localhost:" + this.port);
		this.relay = RelayJar.start(database, kafka, TOPIC_PREFIX);
	}

	@AfterEach
	void stopRelay() throws SQLException {
		if (this.relay != null) {
			this.relay.close();
		}
	}

	@Test
	void ordersDrivenOverHttpReachTheReadModelThroughTheRelayOnceEachInOrder() throws Exception {
		UUID shipped = placed(this.api.place("alice", "BOOK-1", 2, "12.50"));
		UUID cancelled = placed(this.api.place("bob", "PEN-7", 5, "2.50"));
		UUID paid = placed(this.api.place("carol", "LAMP-3", 1, "49.00"));
		UUID placedOnly = placed(this.api.place("dave", "INK-2", 3, "7.90"));
		assertThat(this.api.pay(shipped, "PAY-1").status()).isEqualTo(200);
		assertThat(this.api.cancel(cancelled, "changed my mind").status()).isEqualTo(200);
		Response refused = this.api.ship(cancelled, "TRACK-2");
		assertThat(refused.status()).isEqualTo(409);
		assertThat(refused.text("orderStatus")).isEqualTo("CANCELLED");
		assertThat(this.api.ship(shipped, "TRACK-1").status()).isEqualTo(200);
		assertThat(this.api.pay(paid, "PAY-3").status()).isEqualTo(200);

		Map<UUID, List<String>> expected = new LinkedHashMap<>();
		expected.put(shipped, List.of(OrderPlaced.TYPE, OrderPaid.TYPE, OrderShipped.TYPE));
		expected.put(cancelled, List.of(OrderPlaced.TYPE, OrderCancelled.TYPE));
		expected.put(paid, List.of(OrderPlaced.TYPE, OrderPaid.TYPE));
		expected.put(placedOnly, List.of(OrderPlaced.TYPE));
		int events = expected.values().stream().mapToInt(List::size).sum();

		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> expected
			.forEach((order, types) -> assertThat(history(order)).extracting(entry -> entry.get("eventType").asString())
				.as("history of %s", order)
				.containsExactlyElementsOf(types)));
		assertThat(history(shipped)).extracting(entry -> entry.get("status").asString())
			.containsExactly("PLACED", "PAID", "SHIPPED");
		assertThat(history(cancelled)).extracting(entry -> entry.get("status").asString())
			.containsExactly("PLACED", "CANCELLED");

		// What the relay published: one record per accepted change, none for the refused one, and
		// the read model holds exactly these event ids, each once, in each order's record order.
		Map<UUID, List<ConsumerRecord<String, String>>> published = published(events);
		assertThat(published).containsOnlyKeys(expected.keySet());
		expected.forEach((order, types) -> {
			List<ConsumerRecord<String, String>> records = published.get(order);
			assertThat(records).extracting(record -> header(record, "eventType")).containsExactlyElementsOf(types);
			assertThat(history(order)).extracting(entry -> entry.get("eventId").asString())
				.containsExactlyElementsOf(records.stream().map(record -> header(record, "id")).toList());
		});
		assertThat(processedEvents()).isEqualTo(events);

		// A duplicate delivery, as after a relay crash before its checkpoint: the same record again.
		ConsumerRecord<String, String> original = published.get(shipped).get(1);
		List<JsonNode> before = history(shipped);
		ProducerRecord<String, String> duplicate = new ProducerRecord<>(original.topic(), original.partition(),
				original.key(), original.value(), original.headers());
		RecordMetadata sent = producer.send(duplicate).get(30, TimeUnit.SECONDS);
		awaitConsumedBySample(new TopicPartition(sent.topic(), sent.partition()), sent.offset());

		assertThat(history(shipped)).isEqualTo(before);
		assertThat(processedEvents()).isEqualTo(events);
	}

	private static UUID placed(Response response) {
		assertThat(response.status()).as("place: %s", response.body()).isEqualTo(201);
		return response.id();
	}

	private List<JsonNode> history(UUID order) {
		Response response = this.api.get("/orders/" + order + "/history");
		assertThat(response.status()).isEqualTo(200);
		return response.body().valueStream().toList();
	}

	private long processedEvents() {
		return this.jdbc.sql("SELECT count(*) FROM inbox_event WHERE consumer = ?")
			.param(OrderEventListener.CONSUMER)
			.query(Long.class)
			.single();
	}

	// The whole topic by order (the record key), each order's records in offset order.
	private static Map<UUID, List<ConsumerRecord<String, String>>> published(int count) {
		List<ConsumerRecord<String, String>> records = TopicRecords.exactly(kafka, TOPIC, count);
		Map<UUID, List<ConsumerRecord<String, String>>> byOrder = new LinkedHashMap<>();
		// A key's records share a partition, and a consumer returns a partition's records in order.
		records.forEach(record -> byOrder.computeIfAbsent(UUID.fromString(record.key()), key -> new ArrayList<>())
			.add(record));
		return byOrder;
	}

	// The sample's listener has handled the record at the offset once its consumer group has
	// committed past it.
	private static void awaitConsumedBySample(TopicPartition partition, long offset) {
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
			await().atMost(Duration.ofSeconds(30)).until(() -> {
				OffsetAndMetadata committed = admin.listConsumerGroupOffsets(GROUP)
					.partitionsToOffsetAndMetadata()
					.get(10, TimeUnit.SECONDS)
					.get(partition);
				return committed != null && committed.offset() > offset;
			});
		}
	}

	private static String header(ConsumerRecord<String, String> record, String name) {
		return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
	}

}
