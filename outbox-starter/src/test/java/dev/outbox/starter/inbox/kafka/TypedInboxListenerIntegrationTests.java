package dev.outbox.starter.inbox.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.util.backoff.FixedBackOff;

import dev.outbox.starter.OutboxEventTypes;
import dev.outbox.starter.TestApplications;
import dev.outbox.starter.autoconfigure.InboxAutoConfiguration;
import dev.outbox.starter.autoconfigure.OutboxAutoConfiguration;
import dev.outbox.testsupport.KafkaBroker;
import dev.outbox.testsupport.KafkaTest;
import dev.outbox.testsupport.PostgresTest;
import dev.outbox.testsupport.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link InboxListener @InboxListener} methods that take the payload as a Java type, on real
 * {@code @KafkaListener}s, a real broker and a real PostgreSQL: each record read into the class
 * its {@code eventType} header chooses (from the event type catalog, or named on the
 * annotation) or, for a schema version bound on the listener, its {@code schemaVersion} header,
 * applied once by its {@code id} header; a record of an event type not handled
 * refused to the error handler unless skipping was opted into; a value that cannot be read
 * refused naming the event id, type and class.
 */
@PostgresTest
@KafkaTest
class TypedInboxListenerIntegrationTests {

	private static final String TOPIC = "typed-inbox-" + UUID.randomUUID();

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private static ConfigurableApplicationContext context;

	private static InboxTopic topic;

	private static JdbcTemplate jdbcTemplate;

	private static TestDatabase database;

	@BeforeAll
	static void start(TestDatabase testDatabase, KafkaBroker kafka) throws Exception {
		database = testDatabase;
		topic = InboxTopic.create(kafka, TOPIC);
		jdbcTemplate = new JdbcTemplate(database.dataSource());
		jdbcTemplate.execute("CREATE TABLE typed_effect (listener text NOT NULL, event_id text, payload text NOT NULL, "
				+ "in_transaction boolean NOT NULL)");
		context = TestApplications.start(database, TypedListenerApplication.class,
				"spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
				"spring.kafka.consumer.auto-offset-reset=earliest", "test.topic=" + TOPIC);
	}

	@AfterAll
	static void stop() {
		if (context != null) {
			context.close();
		}
		if (topic != null) {
			topic.close();
		}
	}

	@Test
	void eachRecordIsReadIntoThePayloadTypeItsEventTypeIsDeclaredWithAndAppliedOnce() throws Exception {
		String placed = UUID.randomUUID().toString();
		String paid = UUID.randomUUID().toString();
		String order = UUID.randomUUID().toString();

		send(placed, "Placed", "{\"orderId\":\"" + order + "\",\"total\":12.5}");
		send(placed, "Placed", "{\"orderId\":\"" + order + "\",\"total\":12.5}");
		send(paid, "Paid", "{\"orderId\":\"" + order + "\"}");

		await().atMost(TIMEOUT).until(() -> payloads("orders", order).size() == 2);
		assertThat(payloads("orders", order)).containsExactly("Placed[orderId=" + order + ", total=12.5]",
				"Paid[orderId=" + order + "]");
		assertThat(jdbcTemplate.queryForObject("SELECT bool_and(in_transaction) FROM typed_effect WHERE event_id = ?",
				Boolean.class, order)).isTrue();
		assertThat(jdbcTemplate.queryForObject("SELECT count(*) FROM inbox_event WHERE consumer = 'typed-orders' "
				+ "AND event_id = ?", Long.class, placed)).isEqualTo(1);
	}

	@Test
	void aListenerNamingItsEventTypesAndSkippingOthersSeesOnlyThoseAndStillGetsTheRecord() throws Exception {
		String placed = UUID.randomUUID().toString();
		String paid = UUID.randomUUID().toString();
		String order = UUID.randomUUID().toString();

		send(paid, "Paid", "{\"orderId\":\"" + order + "\"}");
		send(placed, "Placed", "{\"orderId\":\"" + order + "\",\"total\":3}");

		await().atMost(TIMEOUT).until(() -> effects("placed-only", placed) == 1);
		await().atMost(TIMEOUT).until(() -> payloads("orders", order).size() == 2);
		assertThat(effects("placed-only", paid)).isZero();
		// Skipped records are not recorded in the inbox: they were never applied.
		assertThat(jdbcTemplate.queryForObject("SELECT count(*) FROM inbox_event WHERE consumer = 'typed-placed' "
				+ "AND event_id = ?", Long.class, paid)).isZero();
		assertThat(failures(paid)).isEmpty();
	}

	@Test
	void aRecordOfASchemaVersionBoundOnTheListenerIsReadIntoItsClassAndAnyOtherIntoTheDefault() throws Exception {
		String order = UUID.randomUUID().toString();

		topic.send(Map.of("id", UUID.randomUUID().toString(), "eventType", "Placed", "schemaVersion", "1"),
				"{\"orderId\":\"" + order + "\",\"amount\":\"12.50\"}");
		topic.send(Map.of("id", UUID.randomUUID().toString(), "eventType", "Placed", "schemaVersion", "2"),
				"{\"orderId\":\"" + order + "\",\"total\":12.5}");
		// no schemaVersion header, as a plain-SQL writer's event
		send(UUID.randomUUID().toString(), "Placed", "{\"orderId\":\"" + order + "\",\"total\":3}");

		await().atMost(TIMEOUT).until(() -> payloads("versions", order).size() == 3);
		assertThat(payloads("versions", order)).containsExactly("PlacedV1[orderId=" + order + ", amount=12.50]",
				"Placed[orderId=" + order + ", total=12.5]", "Placed[orderId=" + order + ", total=3.0]");
	}

	@Test
	void aRecordOfAnEventTypeNoListenerHandlesFailsToTheErrorHandlerUnapplied() throws Exception {
		String id = UUID.randomUUID().toString();

		send(id, "Refunded", "{\"orderId\":\"" + id + "\"}");

		await().atMost(TIMEOUT).until(() -> !failures(id).isEmpty());
		assertThat(failures(id)).singleElement()
			.isInstanceOf(UnhandledEventTypeException.class)
			.extracting(Throwable::getMessage)
			.asString()
			.contains("(event id " + id + ") has event type 'Refunded'")
			.contains("TypedOrderListener.on")
			.contains("it handles [Paid, Placed]");
		assertThat(effects("orders", id)).isZero();
		assertThat(jdbcTemplate.queryForObject("SELECT count(*) FROM inbox_event WHERE event_id = ?", Long.class, id))
			.isZero();
	}

	@Test
	void aValueThatCannotBeReadFailsNamingTheEventIdTypeAndTargetClass() throws Exception {
		String id = UUID.randomUUID().toString();

		send(id, "Paid", "{\"orderId\": [1, 2]}");

		await().atMost(TIMEOUT).until(() -> !failures(id).isEmpty());
		assertThat(failures(id)).singleElement()
			.isInstanceOf(EventPayloadException.class)
			.extracting(Throwable::getMessage)
			.asString()
			.contains("(event id " + id + ") of event type 'Paid' cannot be read into " + Paid.class.getName());
		assertThat(effects("orders", id)).isZero();
	}

	@Test
	void aTypedListenerWhosePayloadTypeNoEventTypeHasFailsAtStartup() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(InboxAutoConfiguration.class))
			.withBean(DataSource.class, database::dataSource)
			.withBean(UnknownPayloadListener.class)
			.run((context) -> assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
				.hasMessageContaining("UnknownPayloadListener.on")
				.hasMessageContaining("takes a payload of type " + Note.class.getName())
				.hasMessageContaining("@InboxListener(eventTypes = {...})"));
	}

	@Test
	void aSchemaVersionBoundToAClassThePayloadParameterCannotHoldFailsAtStartup() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(InboxAutoConfiguration.class))
			.withBean(DataSource.class, database::dataSource)
			.withBean(MisboundVersionListener.class)
			.run((context) -> assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
				.hasMessageContaining("MisboundVersionListener.on")
				.hasMessageContaining("binds version 1 of event type 'Placed' to " + Note.class.getName())
				.hasMessageContaining("payload parameter of type " + PlacedVersion.class.getName() + " cannot hold"));
	}

	@Test
	void schemaVersionBindingsOnAMethodWithoutPayloadParameterFailAtStartup() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(InboxAutoConfiguration.class))
			.withBean(DataSource.class, database::dataSource)
			.withBean(UntypedVersionListener.class)
			.run((context) -> assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
				.hasMessageContaining("UntypedVersionListener.on")
				.hasMessageContaining("names eventTypes or payloadVersions but takes no payload parameter"));
	}

	private static void send(String id, String eventType, String body) throws Exception {
		topic.send(Map.of("id", id, "eventType", eventType), body);
	}

	private static long effects(String listener, String id) {
		return jdbcTemplate.queryForObject("SELECT count(*) FROM typed_effect WHERE listener = ? AND event_id = ?",
				Long.class, listener, id);
	}

	private static List<String> payloads(String listener, String id) {
		return jdbcTemplate.queryForList("SELECT payload FROM typed_effect WHERE listener = ? AND event_id = ? "
				+ "ORDER BY ctid", String.class, listener, id);
	}

	private static List<Throwable> failures(String id) {
		return TypedListenerApplication.recovered.stream()
			.filter((failure) -> id.equals(failure.eventId()))
			.map(Failure::cause)
			.toList();
	}

	/**
	 * A record the error handler gave up on.
	 *
	 * @param eventId its id header
	 * @param cause why the listener failed
	 */
	record Failure(@Nullable String eventId, Throwable cause) {
	}

	sealed interface OrderEvent permits Placed, Paid {

		String orderId();

	}

	sealed interface PlacedVersion permits Placed, PlacedV1 {

		String orderId();

	}

	record Placed(String orderId, double total) implements OrderEvent, PlacedVersion {
	}

	/** What {@code Placed} carried in its schema version 1, before the amount became a number. */
	record PlacedV1(String orderId, String amount) implements PlacedVersion {
	}

	record Paid(String orderId) implements OrderEvent {
	}

	record Note(String text) {
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
			TransactionAutoConfiguration.class, JdbcTemplateAutoConfiguration.class, KafkaAutoConfiguration.class,
			OutboxAutoConfiguration.class, InboxAutoConfiguration.class })
	static class TypedListenerApplication {

		static final List<Failure> recovered = new CopyOnWriteArrayList<>();

		@Bean
		OutboxEventTypes orderEventTypes() {
			return OutboxEventTypes.of((types) -> types.declare("Placed", Placed.class).declare("Paid", Paid.class));
		}

		// No retry: the record is handed to the test instead of being logged and skipped.
		@Bean
		CommonErrorHandler errorHandler() {
			return new DefaultErrorHandler((record, exception) -> {
				var header = record.headers().lastHeader("id");
				Throwable cause = exception;
				while (cause.getCause() != null && !(cause instanceof UnhandledEventTypeException)
						&& !(cause instanceof EventPayloadException)) {
					cause = cause.getCause();
				}
				recovered.add(new Failure((header != null) ? new String(header.value(), StandardCharsets.UTF_8) : null,
						cause));
			}, new FixedBackOff(0, 0));
		}

		@Bean
		TypedOrderListener typedOrderListener(JdbcTemplate jdbcTemplate) {
			return new TypedOrderListener(jdbcTemplate);
		}

		@Bean
		PlacedOnlyListener placedOnlyListener(JdbcTemplate jdbcTemplate) {
			return new PlacedOnlyListener(jdbcTemplate);
		}

		@Bean
		VersionedPlacedListener versionedPlacedListener(JdbcTemplate jdbcTemplate) {
			return new VersionedPlacedListener(jdbcTemplate);
		}

	}

	/**
	 * Takes any order event, by default every catalog event type whose payload is one; no
	 * {@code ConsumerRecord}: the inbox reads the event id itself. Records the order id.
	 */
	static class TypedOrderListener {

		private final JdbcTemplate jdbcTemplate;

		TypedOrderListener(JdbcTemplate jdbcTemplate) {
			this.jdbcTemplate = jdbcTemplate;
		}

		@KafkaListener(id = "typed-orders", topics = "${test.topic}", groupId = "typed-orders")
		@InboxListener
		void on(OrderEvent event) {
			recordEffect(this.jdbcTemplate, "orders", event.orderId(), event.toString());
		}

	}

	/**
	 * Named event type, other event types skipped; the record is still available.
	 */
	static class PlacedOnlyListener {

		private final JdbcTemplate jdbcTemplate;

		PlacedOnlyListener(JdbcTemplate jdbcTemplate) {
			this.jdbcTemplate = jdbcTemplate;
		}

		@KafkaListener(id = "typed-placed", topics = "${test.topic}", groupId = "typed-placed")
		@InboxListener(eventTypes = "Placed", otherEventTypes = InboxListener.OtherEventTypes.SKIP)
		void on(Placed placed, ConsumerRecord<String, String> record) {
			String id = new String(record.headers().lastHeader("id").value(), StandardCharsets.UTF_8);
			recordEffect(this.jdbcTemplate, "placed-only", id, placed.toString());
		}

	}

	/**
	 * Reads {@code Placed} records of schema version 1 into their own class, any other into the
	 * catalog's; other event types skipped.
	 */
	static class VersionedPlacedListener {

		private final JdbcTemplate jdbcTemplate;

		VersionedPlacedListener(JdbcTemplate jdbcTemplate) {
			this.jdbcTemplate = jdbcTemplate;
		}

		@KafkaListener(id = "typed-versions", topics = "${test.topic}", groupId = "typed-versions")
		@InboxListener(eventTypes = "Placed", otherEventTypes = InboxListener.OtherEventTypes.SKIP,
				payloadVersions = @InboxPayload(eventType = "Placed", version = 1, type = PlacedV1.class))
		void on(PlacedVersion placed) {
			recordEffect(this.jdbcTemplate, "versions", placed.orderId(), placed.toString());
		}

	}

	static class MisboundVersionListener {

		@InboxListener(consumer = "misbound", eventTypes = "Placed",
				payloadVersions = @InboxPayload(eventType = "Placed", version = 1, type = Note.class))
		void on(PlacedVersion placed) {
		}

	}

	static class UntypedVersionListener {

		@InboxListener(consumer = "untyped",
				payloadVersions = @InboxPayload(eventType = "Placed", version = 1, type = PlacedV1.class))
		void on(ConsumerRecord<String, String> record) {
		}

	}

	static class UnknownPayloadListener {

		@InboxListener(consumer = "unknown")
		void on(Note note) {
		}

	}

	static void recordEffect(JdbcTemplate jdbcTemplate, String listener, @Nullable String id, String payload) {
		jdbcTemplate.update("INSERT INTO typed_effect (listener, event_id, payload, in_transaction) VALUES (?, ?, ?, ?)",
				listener, id, payload, TransactionSynchronizationManager.isActualTransactionActive());
	}

}
