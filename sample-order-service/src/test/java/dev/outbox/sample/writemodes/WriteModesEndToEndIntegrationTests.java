package dev.outbox.sample.writemodes;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.outbox.sample.RelayJar;
import dev.outbox.sample.TopicRecords;
import dev.outbox.starter.Outbox;
import dev.outbox.starter.OutboxEventTypes;
import dev.outbox.testsupport.KafkaBroker;
import dev.outbox.testsupport.KafkaTest;
import dev.outbox.testsupport.PostgresTest;
import dev.outbox.testsupport.TestDatabase;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter's three write modes end to end, starter to relay jar to Kafka: switching
 * {@code outbox.write-mode} is configuration only, and the record a consumer receives does not tell
 * the modes apart (topic, key, headers, payload as JSON), except for its event id and timestamp.
 */
@PostgresTest
@KafkaTest
class WriteModesEndToEndIntegrationTests {

	private static final String TOPIC_PREFIX = "modes-" + UUID.randomUUID().toString().substring(0, 8);

	private static final String TOPIC = TOPIC_PREFIX + ".order";

	private static final List<String> MODES = List.of("table", "message", "retain");

	@Test
	void theSameEventGivesTheSameRecordInEveryWriteModeAndARollbackPublishesNothing(TestDatabase database,
			KafkaBroker kafka) throws Exception {
		createTopic(kafka);
		// The first service creates the outbox table, on which the relay creates its publication.
		try (ConfigurableApplicationContext first = service(database, MODES.get(0));
				RelayJar relay = RelayJar.start(database, kafka, TOPIC_PREFIX)) {
			publishOneAndRollBackOne(first);
			for (String mode : MODES.subList(1, MODES.size())) {
				try (ConfigurableApplicationContext service = service(database, mode)) {
					publishOneAndRollBackOne(service);
				}
			}
			List<ConsumerRecord<String, String>> records = TopicRecords.exactly(kafka, TOPIC, MODES.size());

			assertThat(records).extracting(ConsumerRecord::key).containsOnly("order-42");
			assertThat(records).extracting(ConsumerRecord::topic).containsOnly(TOPIC);
			JsonMapper json = JsonMapper.builder().build();
			assertThat(records).extracting((record) -> json.readTree(record.value()))
				.containsOnly(json.readTree(records.get(0).value()));
			assertThat(json.readTree(records.get(0).value()).get("note").asString()).isEqualTo("a \"quoted\" ü");
			// schemaVersion: the version the registry gave OrderPlaced's schema, in every mode alike.
			assertThat(records).extracting(WriteModesEndToEndIntegrationTests::headersButId)
				.containsOnly(Map.of("eventType", "OrderPlaced", "aggregateType", "order", "tenant", "acme", "content-type",
						"application/json", "schemaVersion", "1"));
			assertThat(records).extracting((record) -> header(record, "id")).doesNotHaveDuplicates();
			// One key, one partition: the records follow commit order, table mode's first.
			assertThat(records).extracting(ConsumerRecord::timestamp).isSorted();
			// Only retain mode leaves its row behind: each mode wrote as configured.
			assertThat(JdbcClient.create(database.dataSource())
				.sql("SELECT count(*) FROM outbox_event")
				.query(Long.class)
				.single()).isEqualTo(1);
		}
	}

	private static ConfigurableApplicationContext service(TestDatabase database, String mode) {
		// Arguments, not default properties: they must win over the sample's application.yml.
		List<String> arguments = new ArrayList<>();
		for (String property : database.springDataSourceProperties()) {
			arguments.add("--" + property);
		}
		arguments.addAll(List.of("--outbox.write-mode=" + mode, "--outbox.inbox.enabled=false",
				"--spring.main.banner-mode=off"));
		// The one event type published below, declared here rather than by a bean of
		// WriteModeService, which the sample's own tests would pick up by component scanning.
		return new SpringApplicationBuilder(WriteModeService.class).web(WebApplicationType.NONE)
			.initializers((context) -> context.getBeanFactory()
				.registerSingleton("writeModeEventTypes",
						OutboxEventTypes.of((types) -> types.declare("OrderPlaced", Map.class))))
			.run(arguments.toArray(String[]::new));
	}

	private static void publishOneAndRollBackOne(ConfigurableApplicationContext service) {
		Outbox outbox = service.getBean(Outbox.class);
		TransactionTemplate transactions = service.getBean(TransactionTemplate.class);
		Map<String, Object> payload = new LinkedHashMap<>();
		payload.put("total", new BigDecimal("12.50"));
		payload.put("lines", List.of(Map.of("sku", "BOOK-1", "quantity", 2)));
		payload.put("note", "a \"quoted\" ü");
		transactions.executeWithoutResult(
				(status) -> outbox.publish("order", "order-42", "OrderPlaced", payload, Map.of("tenant", "acme")));
		transactions.executeWithoutResult((status) -> {
			outbox.publish("order", "order-rolled-back", "OrderPlaced", payload, Map.of("tenant", "acme"));
			status.setRollbackOnly();
		});
	}

	private static void createTopic(KafkaBroker kafka) throws Exception {
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
			admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
		}
	}

	private static Map<String, String> headersButId(ConsumerRecord<String, String> record) {
		Map<String, String> headers = new LinkedHashMap<>();
		for (Header header : record.headers()) {
			if (!"id".equals(header.key())) {
				headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
			}
		}
		return headers;
	}

	private static String header(ConsumerRecord<String, String> record, String name) {
		return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
	}

}
