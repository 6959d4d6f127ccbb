package dev.outbox.relay;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;

import dev.outbox.testsupport.JavaProcess;
import dev.outbox.testsupport.KafkaBroker;
import dev.outbox.testsupport.TestDatabase;
import dev.outbox.testsupport.delivery.Delivery;
import dev.outbox.testsupport.delivery.DeliveryCheck;
import dev.outbox.testsupport.delivery.Examination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What relay tests share: the outbox table from the contract file, writers that INSERT and DELETE
 * in one transaction by plain SQL (not the starter), relays in-process or as child JVMs, and a
 * consumer.
 */
final class RelayFixture {

	static final Path CONTRACT = Path.of("..", "db", "migration", "V1__outbox_event.sql");

	final TestDatabase database;

	final KafkaBroker broker;

	/** Unique per fixture, so tests sharing a broker and a server never see each other's data. */
	final String slot;

	final String topicPrefix;

	private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	private final List<JavaProcess> processes = new ArrayList<>();

	RelayFixture(TestDatabase database, KafkaBroker broker) {
		this.database = database;
		this.broker = broker;
		this.slot = database.uniqueName("relay");
		this.topicPrefix = "t" + UUID.randomUUID().toString().substring(0, 8);
	}

	/** Creates {@code public.outbox_event} from {@code db/migration/V1__outbox_event.sql}. */
	RelayFixture createOutboxTable() {
		return createOutboxTable("public.outbox_event");
	}

	RelayFixture createOutboxTable(String table) {
		try {
			String ddl = Files.readString(CONTRACT).replace("${outbox_table}", table);
			execute(ddl);
			return this;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot read the table contract " + CONTRACT.toAbsolutePath(), ex);
		}
	}

	/**
	 * Applies {@code db/migration/event-contract/V1__outbox_schema_version.sql}: the optional
	 * schema_version column.
	 */
	RelayFixture addSchemaVersionColumn(String table) {
		Path migration = CONTRACT.resolveSibling("event-contract").resolve("V1__outbox_schema_version.sql");
		try {
			execute(Files.readString(migration).replace("${outbox_table}", table));
			return this;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot read " + migration.toAbsolutePath(), ex);
		}
	}

	void execute(String sql) {
		try (Connection connection = this.database.connect(); Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(sql + ": " + ex.getMessage(), ex);
		}
	}

	String topic(String aggregateType) {
		return this.topicPrefix + "." + aggregateType;
	}

	/** The relay properties every test uses, plus the given ones. */
	String[] relayArguments(String... extra) {
		List<String> arguments = new ArrayList<>(List.of(this.database.springDataSourceProperties()));
		arguments.add("spring.kafka.bootstrap-servers=" + this.broker.bootstrapServers());
		arguments.add("outbox.relay.slot-name=" + this.slot);
		arguments.add("outbox.relay.publication-name=" + this.slot + "_pub");
		arguments.add("outbox.relay.topic-template=" + this.topicPrefix + ".{aggregateType}");
		arguments.add("outbox.relay.status-interval=200ms");
		arguments.add("outbox.relay.standby-retry-interval=500ms");
		arguments.add("server.port=0");
		arguments.addAll(List.of(extra));
		return arguments.toArray(String[]::new);
	}

	ConfigurableApplicationContext startRelay(String... extra) {
		String[] arguments = java.util.Arrays.stream(relayArguments(extra)).map((argument) -> "--" + argument)
			.toArray(String[]::new);
		ConfigurableApplicationContext context = new SpringApplicationBuilder(OutboxRelayApplication.class)
			.run(arguments);
		this.contexts.add(context);
		return context;
	}

	/** A relay in a child JVM, which a test can kill -9. */
	JavaProcess startRelayProcess(String name, String... extra) {
		return startRelayProcess(name, List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"), extra);
	}

	/** A relay in a child JVM with the given JVM options. */
	JavaProcess startRelayProcess(String name, List<String> jvmOptions, String... extra) {
		List<String> arguments = new ArrayList<>();
		for (String argument : relayArguments(extra)) {
			arguments.add("--" + argument);
		}
		JavaProcess process = new JavaProcess("relay " + name, JavaProcess.currentClasspath(),
				jvmOptions, OutboxRelayApplication.class.getName(), arguments,
				Path.of("target", "relay-logs", this.slot + "-" + name + ".log"));
		this.processes.add(process);
		return process.start();
	}

	/** Waits until a relay process logs that it streams the slot (once more than before). */
	void awaitStreaming(JavaProcess relay) {
		long before = streamingLines(relay);
		await().atMost(Duration.ofSeconds(90)).until(() -> {
			if (!relay.isAlive()) {
				throw new AssertionError("relay exited: " + relay.describe());
			}
			return streamingLines(relay) > before;
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

	/** Waits until an in-process relay's health shows the state ({@code streaming}, {@code standby}, ...). */
	static void awaitState(ConfigurableApplicationContext relay, String state) {
		HealthIndicator health = relay.getBean("outboxRelay", HealthIndicator.class);
		await().atMost(Duration.ofSeconds(60))
			.untilAsserted(() -> assertThat(health.health(true).getDetails()).containsEntry("state", state));
	}

	/** Waits until an in-process relay has stopped failed (health DOWN) with a message holding every part. */
	static void awaitFailed(ConfigurableApplicationContext relay, Duration timeout, String... messageParts) {
		HealthIndicator health = relay.getBean("outboxRelay", HealthIndicator.class);
		await().atMost(timeout).untilAsserted(() -> {
			Health current = health.health(true);
			assertThat(current.getStatus()).isEqualTo(Status.DOWN);
			assertThat(current.getDetails()).containsEntry("state", "failed");
			assertThat(String.valueOf(current.getDetails().get("message"))).contains(messageParts);
		});
	}

	/** Writes one transaction of events by plain SQL, INSERT then DELETE. */
	List<String> writeTransaction(String aggregateType, String aggregateId, int events) {
		List<String> ids = new ArrayList<>();
		try (Connection connection = this.database.connect()) {
			connection.setAutoCommit(false);
			try (PreparedStatement insert = connection.prepareStatement(
					"INSERT INTO outbox_event (id, aggregate_type, aggregate_id, event_type, payload) VALUES (?::uuid, ?, ?, ?, ?::jsonb)");
					PreparedStatement delete = connection.prepareStatement("DELETE FROM outbox_event WHERE id = ?::uuid")) {
				for (int i = 0; i < events; i++) {
					String id = UUID.randomUUID().toString();
					insert.setString(1, id);
					insert.setString(2, aggregateType);
					insert.setString(3, aggregateId);
					insert.setString(4, "Seq");
					insert.setString(5, "{\"n\":" + i + "}");
					insert.addBatch();
					delete.setString(1, id);
					delete.addBatch();
					ids.add(id);
				}
				insert.executeBatch();
				delete.executeBatch();
			}
			connection.commit();
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
		return ids;
	}

	KafkaConsumer<String, String> consumer(String... topics) {
		KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
				this.broker.bootstrapServers(), ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
				ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000),
				new StringDeserializer(), new StringDeserializer());
		consumer.subscribe(List.of(topics));
		return consumer;
	}

	/** Polls until the collected records satisfy the condition. */
	static List<ConsumerRecord<String, String>> pollUntil(KafkaConsumer<String, String> consumer,
			List<ConsumerRecord<String, String>> into, Predicate<List<ConsumerRecord<String, String>>> done,
			Duration timeout) {
		await().atMost(timeout).pollInterval(Duration.ofMillis(10)).until(() -> {
			for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
				into.add(record);
			}
			return done.test(into);
		});
		return into;
	}

	/** Creates the dead-letter topic: the relay checks at startup that it exists (it creates none by default). */
	String createDeadLetterTopic() throws Exception {
		String topic = this.topicPrefix + ".dead-letters";
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, this.broker.bootstrapServers()))) {
			admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
		}
		return topic;
	}

	/** @return whether one LSN (text) is before another, by PostgreSQL's comparison */
	boolean lsnBefore(String lsn, String other) {
		return "t".equals(queryString("SELECT ('" + lsn + "'::pg_lsn < '" + other + "'::pg_lsn)::text").substring(0, 1));
	}

	/**
	 * Asserts the documented mapping of the {@code OrderPlaced} event the publishing tests write:
	 * topic, key, the reserved headers and the user headers {@code traceparent} and {@code tenant}.
	 */
	void assertOrderPlacedMapping(ConsumerRecord<String, String> record, String id) {
		assertThat(record.topic()).isEqualTo(this.topicPrefix + ".order");
		assertThat(record.key()).isEqualTo("order-42");
		assertThat(header(record, "id")).isEqualTo(id);
		assertThat(header(record, "eventType")).isEqualTo("OrderPlaced");
		assertThat(header(record, "aggregateType")).isEqualTo("order");
		assertThat(header(record, "traceparent")).isEqualTo("00-abc-def-01");
		assertThat(header(record, "tenant")).isEqualTo("acme");
		assertThat(header(record, "content-type")).isEqualTo("application/json");
		assertThat(record.headers().toArray()).hasSize(6);
	}

	/** Consumes a topic from its start until at least {@code count} records arrived. */
	List<ConsumerRecord<String, String>> awaitRecords(String topic, int count) {
		try (KafkaConsumer<String, String> consumer = consumer(topic)) {
			return pollUntil(consumer, new ArrayList<>(), (all) -> all.size() >= count, Duration.ofSeconds(60));
		}
	}

	/**
	 * Consumes the aggregate type's topic until every committed event has arrived, and returns the
	 * shared delivery check's examination of what arrived.
	 */
	Examination awaitDelivered(CommittedEvents committed, String aggregateType, Duration timeout) {
		Map<String, List<String>> events = committed.snapshot();
		List<ConsumerRecord<String, String>> records = new ArrayList<>();
		try (KafkaConsumer<String, String> consumer = consumer(topic(aggregateType))) {
			pollUntil(consumer, records, (all) -> DeliveryCheck.examine(events, deliveries(all)).complete(), timeout);
		}
		return DeliveryCheck.examine(events, deliveries(records));
	}

	private static List<Delivery> deliveries(List<ConsumerRecord<String, String>> records) {
		return records.stream()
			.map((record) -> Delivery.ofId(record.key(), java.util.Objects.requireNonNullElse(header(record, "id"), ""),
					record.partition(), record.offset()))
			.toList();
	}

	static String header(ConsumerRecord<String, String> record, String name) {
		var header = record.headers().lastHeader(name);
		return (header != null) ? new String(header.value(), java.nio.charset.StandardCharsets.UTF_8) : null;
	}

	void close() {
		this.contexts.forEach(ConfigurableApplicationContext::close);
		this.processes.forEach(JavaProcess::kill);
		execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '" + this.slot
				+ "' AND NOT active");
	}

	/** Closes as {@link #close} does, and drops the slots of a sharded source named after this fixture's slot. */
	void closeWithShardSlots() {
		close();
		execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE NOT active "
				+ "AND starts_with(slot_name, '" + this.slot + "_')");
	}

	// Helpers for the startup-error, snapshot, slot-loss and rejected-record tests.

	/**
	 * Starts an in-process relay with {@link #relayArguments} in which each given {@code key=value}
	 * replaces the setting of the same key (Spring would join a repeated command-line key with
	 * commas), for tests that point the relay at another database, role or broker.
	 */
	ConfigurableApplicationContext startRelayOverriding(String... settings) {
		java.util.Map<String, String> merged = new java.util.LinkedHashMap<>();
		for (String argument : relayArguments(settings)) {
			merged.put(argument.substring(0, argument.indexOf('=')), "--" + argument);
		}
		ConfigurableApplicationContext context = new SpringApplicationBuilder(OutboxRelayApplication.class)
			.run(merged.values().toArray(String[]::new));
		this.contexts.add(context);
		return context;
	}

	/**
	 * Starts a relay as {@link #startRelayOverriding} does, which must fail to start.
	 * @return the message of the {@code RelayStartupException} in the failure's chain
	 */
	String startupFailure(String... settings) {
		Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> startRelayOverriding(settings));
		assertThat(failure).as("the relay application must fail to start").isNotNull();
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof dev.outbox.relay.source.RelayStartupException) {
				return cause.getMessage();
			}
		}
		throw new AssertionError("No RelayStartupException in the startup failure's chain", failure);
	}

	/**
	 * Writes one transaction of events by plain SQL that INSERTs and keeps the rows, as writers do
	 * that keep their outbox rows (the case of {@code outbox.relay.snapshot-mode=initial}).
	 */
	List<String> writeKeptRows(String table, String aggregateType, String aggregateId, int events) {
		List<String> ids = new ArrayList<>();
		try (Connection connection = this.database.connect()) {
			connection.setAutoCommit(false);
			try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table
					+ " (id, aggregate_type, aggregate_id, event_type, payload) VALUES (?::uuid, ?, ?, 'Kept', ?::jsonb)")) {
				for (int i = 0; i < events; i++) {
					String id = UUID.randomUUID().toString();
					insert.setString(1, id);
					insert.setString(2, aggregateType);
					insert.setString(3, aggregateId);
					insert.setString(4, "{\"n\":" + i + "}");
					insert.addBatch();
					ids.add(id);
				}
				insert.executeBatch();
			}
			connection.commit();
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
		return ids;
	}

	/**
	 * Writes one event (INSERT then DELETE in one transaction) whose JSON payload is about
	 * {@code payloadBytes} long.
	 * @return the event id
	 */
	String writeLargeEvent(String aggregateType, String aggregateId, int payloadBytes) {
		String id = UUID.randomUUID().toString();
		execute("BEGIN; INSERT INTO outbox_event (id, aggregate_type, aggregate_id, event_type, payload) VALUES ('" + id
				+ "', '" + aggregateType + "', '" + aggregateId + "', 'Large', jsonb_build_object('blob', repeat('x', "
				+ payloadBytes + "))); DELETE FROM outbox_event WHERE id = '" + id + "'; COMMIT;");
		return id;
	}

	/**
	 * Writes one transaction, by plain SQL, of a large event (payload about {@code payloadBytes})
	 * followed by {@code smallEvents} small ones, all of one aggregate.
	 * @return the event ids in commit order, the large one first
	 */
	List<String> writeLargeThenSmallEvents(String aggregateType, String aggregateId, int payloadBytes,
			int smallEvents) {
		List<String> ids = new ArrayList<>();
		StringBuilder sql = new StringBuilder("BEGIN;");
		for (int i = 0; i <= smallEvents; i++) {
			String id = UUID.randomUUID().toString();
			String payload = (i == 0) ? "jsonb_build_object('blob', repeat('x', " + payloadBytes + "))"
					: "jsonb_build_object('n', " + i + ")";
			sql.append("INSERT INTO outbox_event (id, aggregate_type, aggregate_id, event_type, payload) VALUES ('")
				.append(id).append("', '").append(aggregateType).append("', '").append(aggregateId).append("', '")
				.append((i == 0) ? "Large" : "Seq").append("', ").append(payload).append(");")
				.append("DELETE FROM outbox_event WHERE id = '").append(id).append("';");
			ids.add(id);
		}
		execute(sql.append("COMMIT;").toString());
		return ids;
	}

	/** @return the first column of the first row as text, or {@code null} when there is no row */
	String queryString(String sql) {
		try (Connection connection = this.database.connect(); Statement statement = connection.createStatement();
				java.sql.ResultSet row = statement.executeQuery(sql)) {
			return row.next() ? row.getString(1) : null;
		}
		catch (SQLException ex) {
			throw new IllegalStateException(sql + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * @return a column of this fixture's slot in {@code pg_replication_slots} as text, or
	 * {@code null} when the slot does not exist
	 */
	String slotColumn(String column) {
		return queryString("SELECT " + column + "::text FROM pg_replication_slots WHERE slot_name = '" + this.slot + "'");
	}

	/** @return whether this fixture's slot exists */
	boolean slotExists() {
		return queryString("SELECT 1 FROM pg_replication_slots WHERE slot_name = '" + this.slot + "'") != null;
	}

}
