package dev.outbox.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.outbox.sample.SampleApi.Response;
import dev.outbox.sample.history.OrderEventListener;
import dev.outbox.sample.order.events.OrderCancelled;
import dev.outbox.sample.order.events.OrderEvent;
import dev.outbox.sample.order.events.OrderPaid;
import dev.outbox.sample.order.events.OrderPlaced;
import dev.outbox.sample.order.events.OrderShipped;
import dev.outbox.testsupport.JavaProcess;
import dev.outbox.testsupport.KafkaBroker;
import dev.outbox.testsupport.KafkaTest;
import dev.outbox.testsupport.PostgresTest;
import dev.outbox.testsupport.TestDatabase;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
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
 * The relay jar is {@code outbox-relay/target/outbox-relay.jar}, built by the reactor's
 * {@code package} phase before this module's tests ({@code ./mvnw verify}); this module depends on
 * the relay's pom for that order only. The relay and the sample get a topic and consumer group of
 * their own, so the shared broker's other tests never see these events.
 */
@PostgresTest
@KafkaTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class EndToEndIntegrationTests {

	private static final Path RELAY_MODULE = Path.of("..", "outbox-relay");

	private static final Path RELAY_JAR = RELAY_MODULE.resolve(Path.of("target", "outbox-relay.jar"));

	/** The launcher named in the manifest of every Spring Boot 4 executable jar. */
	private static final String JAR_LAUNCHER = "org.springframework.boot.loader.launch.JarLauncher";

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

	private String slot;

	private JavaProcess relay;

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

	// The sample's context, and so its outbox table, exists by now: the relay creates its
	// publication on that table and its slot, and relays every event committed from then on.
	@BeforeEach
	void startRelay() {
		this.api = new SampleApi("http://localhost:" + this.port);
		this.slot = database.uniqueName("e2e");
		List<String> arguments = new ArrayList<>();
		for (String property : database.springDataSourceProperties()) {
			arguments.add("--" + property);
		}
		arguments.addAll(List.of("--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
				"--outbox.relay.slot-name=" + this.slot, "--outbox.relay.publication-name=" + this.slot + "_pub",
				"--outbox.relay.topic-template=" + TOPIC_PREFIX + ".{aggregateType}", "--server.port=0"));
		// JavaProcess runs a main class from a class path: the jar's own launcher is what
		// java -jar would run.
		this.relay = new JavaProcess("relay", relayJar().toString(),
				List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"), JAR_LAUNCHER, arguments,
				Path.of("target", "relay-logs", this.slot + ".log"))
			.start();
		await().atMost(Duration.ofSeconds(60)).until(() -> {
			assertThat(this.relay.isAlive()).as("relay exited: %s", this.relay.describe()).isTrue();
			return log(this.relay).contains("Streaming slot " + this.slot);
		});
	}

	@AfterEach
	void stopRelay() throws SQLException {
		if (this.relay != null) {
			this.relay.stop(Duration.ofSeconds(20));
		}
		// The slot is cluster-wide and would hold WAL back for every later test: drop it once the
		// relay's walsender has let go of it.
		await().atMost(Duration.ofSeconds(20)).until(() -> !slotActive());
		try (Connection connection = database.connect();
				PreparedStatement drop = connection.prepareStatement(
						"SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = ?")) {
			drop.setString(1, this.slot);
			drop.execute();
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

	// Reads the whole topic until it holds the given number of records, and one poll more to catch
	// any extra one; by order (the record key), each order's records in offset order.
	private static Map<UUID, List<ConsumerRecord<String, String>>> published(int count) {
		List<ConsumerRecord<String, String>> records = new ArrayList<>();
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
				Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), new StringDeserializer(),
				new StringDeserializer())) {
			List<TopicPartition> partitions = consumer.partitionsFor(TOPIC)
				.stream()
				.map(info -> new TopicPartition(info.topic(), info.partition()))
				.toList();
			consumer.assign(partitions);
			consumer.seekToBeginning(partitions);
			await().atMost(Duration.ofSeconds(30)).until(() -> {
				consumer.poll(Duration.ofMillis(200)).forEach(records::add);
				return records.size() >= count;
			});
			consumer.poll(Duration.ofMillis(500)).forEach(records::add);
		}
		assertThat(records).hasSize(count);
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

	private boolean slotActive() throws SQLException {
		try (Connection connection = database.connect();
				PreparedStatement query = connection
					.prepareStatement("SELECT active FROM pg_replication_slots WHERE slot_name = ?")) {
			query.setString(1, this.slot);
			try (ResultSet row = query.executeQuery()) {
				return row.next() && row.getBoolean("active");
			}
		}
	}

	private static String log(JavaProcess process) {
		try {
			return Files.exists(process.logFile()) ? Files.readString(process.logFile()) : "";
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	// The jar must exist and be newer than the relay's compiled classes: a jar left from an
	// earlier build would test old relay code.
	private static Path relayJar() {
		assertThat(RELAY_JAR).as("the relay's executable jar; build it with ./mvnw verify (or package)")
			.isRegularFile();
		Path classes = RELAY_MODULE.resolve(Path.of("target", "classes"));
		if (Files.isDirectory(classes)) {
			try (Stream<Path> files = Files.walk(classes)) {
				FileTime jar = Files.getLastModifiedTime(RELAY_JAR);
				assertThat(files.filter(Files::isRegularFile).filter(file -> lastModified(file).compareTo(jar) > 0))
					.as("relay classes newer than %s; rebuild it with ./mvnw verify (or package)", RELAY_JAR)
					.isEmpty();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		return RELAY_JAR;
	}

	private static FileTime lastModified(Path file) {
		try {
			return Files.getLastModifiedTime(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
