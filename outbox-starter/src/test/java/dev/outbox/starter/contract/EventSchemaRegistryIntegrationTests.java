package dev.outbox.starter.contract;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.outbox.starter.InvalidOutboxEventException;
import dev.outbox.starter.LogicalSlot;
import dev.outbox.starter.LogicalSlot.Change;
import dev.outbox.starter.Outbox;
import dev.outbox.starter.TestApplications;
import dev.outbox.testsupport.PostgresTest;
import dev.outbox.testsupport.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The embedded schema registry against a real PostgreSQL: successive versions of a service
 * (each a Spring Boot context with its own {@link EventSchemaSource}) start in turn against one
 * database, as deployments and rollbacks do. Each test uses event types of its own.
 */
@PostgresTest
@ExtendWith(OutputCaptureExtension.class)
class EventSchemaRegistryIntegrationTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final String V1 = """
			{"type": "object",
			 "properties": {"orderId": {"type": "string"}, "amount": {"type": "integer"}},
			 "required": ["orderId", "amount"]}""";

	private static final String RENAMED = """
			{"type": "object",
			 "properties": {"orderNumber": {"type": "string"}, "amount": {"type": "integer"}},
			 "required": ["orderNumber", "amount"]}""";

	private static final String NULLABLE_ADDED = """
			{"type": "object",
			 "properties": {"orderId": {"type": "string"}, "amount": {"type": "integer"},
			                "note": {"type": ["string", "null"]}},
			 "required": ["orderId", "amount"]}""";

	private static TestDatabase database;

	private static JdbcTemplate jdbcTemplate;

	private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	@BeforeAll
	static void migrate(TestDatabase testDatabase) {
		database = testDatabase;
		jdbcTemplate = new JdbcTemplate(testDatabase.dataSource());
		// The starter's migration, once, before tests that start instances concurrently.
		TestApplications.start(testDatabase, TestApplications.JdbcApplication.class).close();
	}

	@AfterEach
	void stop() {
		this.contexts.forEach(ConfigurableApplicationContext::close);
	}

	@Test
	void renamingARequiredPropertyFailsStartupUnderTheDefaultModeAndRegistersNothing(CapturedOutput output) {
		start(Map.of("Rename.OrderPlaced", V1));

		assertThatThrownBy(() -> start(Map.of("Rename.OrderPlaced", RENAMED, "Rename.OrderShipped", V1)))
			.isInstanceOf(IncompatibleEventSchemaException.class);

		assertThat(registered("Rename.")).containsExactly("Rename.OrderPlaced 1");
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Event type 'Rename.OrderPlaced' (mode FORWARD): the new schema, which would be version 2, "
					+ "against registered version 1:")
			.contains("property 'orderId' against version 1: PROPERTY_RENAMED")
			.contains("outbox.contract.compatibility-overrides[Rename.OrderPlaced]=NONE")
			.contains("outbox.contract.compatibility ")
			.contains("under a new event type");
	}

	@Test
	void addingANullablePropertyRegistersVersionTwoAndEventsCarryIt() throws SQLException {
		start(Map.of("Nullable.OrderPlaced", V1));
		ConfigurableApplicationContext second = start(Map.of("Nullable.OrderPlaced", NULLABLE_ADDED));

		assertThat(registered("Nullable.")).containsExactly("Nullable.OrderPlaced 1", "Nullable.OrderPlaced 2");
		try (LogicalSlot slot = LogicalSlot.create(database)) {
			publish(second, "Nullable.OrderPlaced", Map.of("orderId", "o-1", "amount", 3));
			publish(second, "Nullable.Unregistered", Map.of("any", "thing"));
			assertThat(outboxInserts(slot)).containsExactly("Nullable.OrderPlaced 2", "Nullable.Unregistered null");
		}
	}

	@Test
	void retainAndMessageModesCarryTheRegisteredVersionToo() throws SQLException {
		start(Map.of("Modes.OrderPlaced", V1));
		ConfigurableApplicationContext retain = start(Map.of("Modes.OrderPlaced", NULLABLE_ADDED),
				"outbox.write-mode=retain");
		publish(retain, "Modes.OrderPlaced", Map.of("orderId", "o-1", "amount", 3));
		assertThat(jdbcTemplate.queryForList("SELECT schema_version FROM public.outbox_event "
				+ "WHERE event_type = 'Modes.OrderPlaced'", Integer.class)).containsExactly(2);

		ConfigurableApplicationContext message = start(Map.of("Modes.OrderPlaced", NULLABLE_ADDED),
				"outbox.write-mode=message");
		try (LogicalSlot slot = LogicalSlot.create(database)) {
			publish(message, "Modes.OrderPlaced", Map.of("orderId", "o-2", "amount", 4));
			List<JsonNode> contents = slot.take()
				.stream()
				.filter((change) -> change.message() != null)
				.map((change) -> json.readTree(change.message().content()))
				.toList();
			assertThat(contents).singleElement()
				.satisfies((content) -> assertThat(content.get("schema_version").asInt()).isEqualTo(2));
		}
	}

	@Test
	void instancesStartingAtOnceRegisterTheNewVersionOnce() throws Exception {
		start(Map.of("Concurrent.OrderPlaced", V1));
		CyclicBarrier barrier = new CyclicBarrier(2);
		List<CompletableFuture<ConfigurableApplicationContext>> starts = new ArrayList<>();
		for (int i = 0; i < 2; i++) {
			starts.add(CompletableFuture.supplyAsync(() -> {
				try {
					barrier.await(30, TimeUnit.SECONDS);
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
				return start(Map.of("Concurrent.OrderPlaced", NULLABLE_ADDED));
			}));
		}
		for (CompletableFuture<ConfigurableApplicationContext> start : starts) {
			ConfigurableApplicationContext context = start.get(60, TimeUnit.SECONDS);
			assertThat(context.getBean(EventSchemaVersions.class).versionOf("Concurrent.OrderPlaced")).isEqualTo(2);
		}

		assertThat(registered("Concurrent.")).containsExactly("Concurrent.OrderPlaced 1", "Concurrent.OrderPlaced 2");
	}

	@Test
	void olderVersionStartedAgainAfterANewerOneIsAcceptedAndWritesItsOwnVersion() throws SQLException {
		start(Map.of("Rollback.OrderPlaced", V1));
		start(Map.of("Rollback.OrderPlaced", NULLABLE_ADDED));
		// The same schema with another key order and number spelling is still identical (jsonb).
		ConfigurableApplicationContext rolledBack = start(Map.of("Rollback.OrderPlaced", """
				{"required": ["orderId", "amount"], "type": "object",
				 "properties": {"amount": {"type": "integer"}, "orderId": {"type": "string"}}}"""));

		assertThat(registered("Rollback.")).containsExactly("Rollback.OrderPlaced 1", "Rollback.OrderPlaced 2");
		try (LogicalSlot slot = LogicalSlot.create(database)) {
			publish(rolledBack, "Rollback.OrderPlaced", Map.of("orderId", "o-1", "amount", 3));
			assertThat(outboxInserts(slot)).containsExactly("Rollback.OrderPlaced 1");
		}
	}

	@Test
	void perTypeOverrideNoneAcceptsTheRenameForThatTypeOnly() {
		start(Map.of("Override.OrderPlaced", V1, "Override.OrderShipped", V1));

		start(Map.of("Override.OrderPlaced", RENAMED, "Override.OrderShipped", V1),
				"outbox.contract.compatibility-overrides[Override.OrderPlaced]=none");
		assertThatThrownBy(() -> start(Map.of("Override.OrderPlaced", RENAMED, "Override.OrderShipped", RENAMED),
				"outbox.contract.compatibility-overrides[Override.OrderPlaced]=none"))
			.isInstanceOfSatisfying(IncompatibleEventSchemaException.class,
					(cause) -> assertThat(cause.incompatibilities())
				.extracting(IncompatibleEventSchemaException.Incompatibility::eventType)
				.containsExactly("Override.OrderShipped"));

		assertThat(registered("Override.")).containsExactly("Override.OrderPlaced 1", "Override.OrderPlaced 2",
				"Override.OrderShipped 1");
	}

	@Test
	void disabledRegistryWritesNothingAndEventsCarryNoVersion() throws SQLException {
		ConfigurableApplicationContext context = start(Map.of("Disabled.OrderPlaced", V1),
				"outbox.contract.registry.enabled=false");

		assertThat(registered("Disabled.")).isEmpty();
		try (LogicalSlot slot = LogicalSlot.create(database)) {
			publish(context, "Disabled.OrderPlaced", Map.of("orderId", "o-1", "amount", 3));
			assertThat(outboxInserts(slot)).containsExactly("Disabled.OrderPlaced null");
		}
	}

	@Test
	void payloadValidationRejectsAPayloadThatMissesARequiredPropertyNamingIt() {
		ConfigurableApplicationContext context = start(Map.of("Validated.OrderPlaced", V1),
				"outbox.contract.validate-payloads=true");

		assertThatExceptionOfType(InvalidOutboxEventException.class)
			.isThrownBy(() -> publish(context, "Validated.OrderPlaced", Map.of("orderId", "o-1")))
			.withMessageContaining("event type 'Validated.OrderPlaced' (version 1)")
			.withMessageContaining("property 'amount': required property is missing");
		publish(context, "Validated.OrderPlaced", Map.of("orderId", "o-1", "amount", 3, "extra", true));
	}

	@Test
	void byDefaultTheRegistryTableIsInTheSchemaOfTheOutboxTable() {
		ConfigurableApplicationContext context = start(Map.of("Schemaed.OrderPlaced", V1),
				"outbox.table=registry_home.outbox_event", "outbox.inbox.enabled=false");

		assertThat(jdbcTemplate.queryForList("SELECT event_type || ' ' || version FROM registry_home.outbox_event_schema "
				+ "WHERE event_type = 'Schemaed.OrderPlaced'", String.class)).containsExactly("Schemaed.OrderPlaced 1");
		assertThat(registered("Schemaed.")).isEmpty();
		assertThat(context.getBean(EventSchemaVersions.class).versionOf("Schemaed.OrderPlaced")).isEqualTo(1);
	}

	@Test
	void anEventPublishedByABeanWhileTheContextStartsFailsInsteadOfGoingOutWithoutSchemaVersion() {
		EarlyPublisher.eventType = "Early.OrderPlaced";

		assertThatException().isThrownBy(() -> start(Map.of("Early.OrderPlaced", V1), "test.early-publisher=true"))
			.havingRootCause()
			.isInstanceOf(IllegalStateException.class)
			.withMessageContaining("Event type 'Early.OrderPlaced' was published before the event schemas were "
					+ "registered")
			.withMessageContaining("ApplicationRunner");
		assertThat(jdbcTemplate.queryForObject("SELECT count(*) FROM public.outbox_event WHERE event_type = ?",
				Long.class, "Early.OrderPlaced")).isZero();
	}

	@Test
	void withoutASchemaSourceOfItsOwnTheServiceRegistersTheSchemaOfEachDeclaredPayloadType() {
		ConfigurableApplicationContext context = startWith(null);
		JsonNode generated = context.getBean(EventSchemaSource.class).schemas().get("OrderPlaced");
		assertThat(generated).isNotNull();
		assertThat(generated.path("properties").isObject()).isTrue();
		assertThat(registered("OrderPlaced")).containsExactly("OrderPlaced 1");
		JsonNode stored = json.readTree(jdbcTemplate.queryForObject(
				"SELECT schema::text FROM public.outbox_event_schema WHERE event_type = 'OrderPlaced' AND version = 1",
				String.class));
		assertThat(stored).isEqualTo(generated);
		assertThat(context.getBean(EventSchemaVersions.class).versionOf("OrderPlaced")).isEqualTo(1);
	}

	private ConfigurableApplicationContext start(Map<String, String> schemas, String... properties) {
		TreeMap<String, JsonNode> parsed = new TreeMap<>();
		schemas.forEach((eventType, schema) -> parsed.put(eventType, json.readTree(schema)));
		List<String> all = new ArrayList<>(List.of(properties));
		// These tests register literal schemas for types they do not declare.
		all.add("outbox.contract.require-declared-event-types=false");
		return startWith(() -> parsed, all.toArray(new String[0]));
	}

	private ConfigurableApplicationContext startWith(@Nullable EventSchemaSource source, String... properties) {
		List<String> all = new ArrayList<>(List.of("spring.datasource.url=" + database.jdbcUrl(),
				"spring.datasource.username=" + database.username(),
				"spring.datasource.password=" + database.password(), "spring.datasource.hikari.maximum-pool-size=2"));
		all.addAll(List.of(properties));
		ConfigurableApplicationContext context = new SpringApplicationBuilder(
				TestApplications.JdbcApplication.class)
			.web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.properties(all.toArray(new String[0]))
			.initializers((initialized) -> {
				if (source != null) {
					initialized.getBeanFactory().registerSingleton("testSchemas", source);
				}
				if (List.of(properties).contains("test.early-publisher=true")) {
					((GenericApplicationContext) initialized).registerBean(EarlyPublisher.class);
				}
			})
			.run();
		synchronized (this.contexts) {
			this.contexts.add(context);
		}
		return context;
	}

	private static void publish(ConfigurableApplicationContext context, String eventType, Object payload) {
		Outbox outbox = context.getBean(Outbox.class);
		new TransactionTemplate(context.getBean(PlatformTransactionManager.class))
			.executeWithoutResult((status) -> outbox.publish("Order", "1", eventType, payload));
	}

	private static List<String> registered(String prefix) {
		return jdbcTemplate.queryForList("SELECT event_type || ' ' || version FROM public.outbox_event_schema "
				+ "WHERE starts_with(event_type, ?) ORDER BY event_type, version", String.class, prefix);
	}

	private static List<String> outboxInserts(LogicalSlot slot) throws SQLException {
		return slot.take()
			.stream()
			.filter((change) -> "INSERT".equals(change.kind()) && "public.outbox_event".equals(change.table()))
			.map((change) -> change.column("event_type") + " " + change.column("schema_version"))
			.toList();
	}

	/**
	 * Publishes an event while the context starts, before every singleton exists.
	 */
	static class EarlyPublisher implements InitializingBean {

		static String eventType = "";

		private final Outbox outbox;

		private final PlatformTransactionManager transactionManager;

		EarlyPublisher(Outbox outbox, PlatformTransactionManager transactionManager) {
			this.outbox = outbox;
			this.transactionManager = transactionManager;
		}

		@Override
		public void afterPropertiesSet() {
			new TransactionTemplate(this.transactionManager).executeWithoutResult(
					(status) -> this.outbox.publish("Order", "1", eventType, Map.of("orderId", "o-1", "amount", 3)));
		}

	}

}
