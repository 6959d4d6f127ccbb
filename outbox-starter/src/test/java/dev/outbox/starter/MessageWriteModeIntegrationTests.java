package dev.outbox.starter;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.IllegalTransactionStateException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import dev.outbox.contract.EventMessage;
import dev.outbox.starter.LogicalSlot.Change;
import dev.outbox.starter.LogicalSlot.Message;
import dev.outbox.starter.retain.OutboxPurge;
import dev.outbox.testsupport.PostgresTest;
import dev.outbox.testsupport.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * {@code outbox.write-mode=message}: the same API writes no row but one transactional
 * {@code pg_logical_emit_message} per event, with the prefix and content of
 * {@link EventMessage}, decoded by a {@code test_decoding} slot inside the business
 * transaction.
 */
@PostgresTest
class MessageWriteModeIntegrationTests {

	private static final String PREFIX = "outbox:public.outbox_event";

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final AtomicLong ids = new AtomicLong();

	private static ConfigurableApplicationContext context;

	private static LogicalSlot slot;

	private static OrderService orders;

	private static Outbox outbox;

	private static JdbcTemplate jdbcTemplate;

	private static TransactionTemplate transaction;

	@BeforeAll
	static void start(TestDatabase database) throws SQLException {
		context = TestApplications.start(database, TestApplications.JdbcApplication.class,
				"outbox.write-mode=message");
		slot = LogicalSlot.create(database);
		orders = context.getBean(OrderService.class);
		outbox = context.getBean(Outbox.class);
		jdbcTemplate = context.getBean(JdbcTemplate.class);
		transaction = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
	}

	@AfterAll
	static void stop() throws SQLException {
		if (slot != null) {
			slot.close();
		}
		if (context != null) {
			context.close();
		}
	}

	@BeforeEach
	void drainSlot() throws SQLException {
		slot.take();
	}

	@Test
	void commitEmitsOneTransactionalMessageBetweenTheBusinessInsertsBeginAndCommitAndWritesNoRow()
			throws SQLException {
		long id = ids.incrementAndGet();
		orders.place(id, "ada", new BigDecimal("12.50"));

		List<Change> changes = slot.take();
		assertThat(changes).extracting(Change::summary)
			.containsExactly("BEGIN", "INSERT public.orders", "message", "COMMIT");
		assertThat(changes).extracting(Change::xid).containsOnly(changes.get(0).xid());
		Message message = changes.get(2).message();
		assertThat(message).isNotNull();
		assertThat(message.transactional()).isTrue();
		assertThat(message.prefix()).isEqualTo(PREFIX);
		JsonNode content = json.readTree(message.content());
		// schema_version: the version the registry gave the event type's schema at startup.
		assertThat(fieldNames(content)).containsExactly("id", "aggregate_type", "aggregate_id", "event_type",
				"payload", "schema_version");
		assertThat(content.get("schema_version").asInt()).isGreaterThanOrEqualTo(1);
		assertThat(UUID.fromString(content.get("id").asString()).version()).isEqualTo(7);
		assertThat(content.get("aggregate_type").asString()).isEqualTo("Order");
		assertThat(content.get("aggregate_id").asString()).isEqualTo(String.valueOf(id));
		assertThat(content.get("event_type").asString()).isEqualTo("OrderPlaced");
		assertThat(content.get("payload"))
			.isEqualTo(json.readTree("{\"id\": " + id + ", \"customer\": \"ada\", \"total\": 12.50}"));
		assertThat(jdbcTemplate.queryForObject("SELECT count(*) FROM outbox_event", Long.class)).isZero();
		assertThat(context.getBeanNamesForType(OutboxPurge.class)).isEmpty();
	}

	@Test
	void rollbackEmitsNothing() throws SQLException {
		long id = ids.incrementAndGet();
		assertThatIllegalStateException().isThrownBy(() -> orders.placeAndFail(id, "ada", BigDecimal.ONE))
			.withMessage("payment declined");

		assertThat(slot.take()).isEmpty();
	}

	@Test
	void contentCarriesHeadersAndPayloadAsJsonValuesWithStringsEscaped() throws SQLException {
		String awkward = "quote \" backslash \\ newline \n tab \t bell \u0007 snowman \u2603 emoji \uD83D\uDE00";
		transaction.executeWithoutResult((status) -> outbox.publish("Order \"A\"", awkward, "Odd\\Type",
				Map.of("list", List.of(1, 2, 3), "text", awkward), Map.of("tenant", "acme", "note", awkward)));

		List<Change> changes = slot.take();
		assertThat(changes).extracting(Change::summary).containsExactly("BEGIN", "message", "COMMIT");
		JsonNode content = json.readTree(changes.get(1).message().content());
		assertThat(content.get("aggregate_type").asString()).isEqualTo("Order \"A\"");
		assertThat(content.get("aggregate_id").asString()).isEqualTo(awkward);
		assertThat(content.get("event_type").asString()).isEqualTo("Odd\\Type");
		assertThat(content.get("payload")).isEqualTo(json.valueToTree(Map.of("list", List.of(1, 2, 3), "text", awkward)));
		assertThat(content.get("headers")).isEqualTo(json.valueToTree(Map.of("tenant", "acme", "note", awkward)));
	}

	@Test
	void messagesOfATransactionFollowPublishOrderAcrossBatches() throws SQLException {
		int count = 1_234;
		transaction.executeWithoutResult((status) -> IntStream.range(0, count)
			.forEach((i) -> outbox.publish("Order", String.valueOf(i), "OrderPlaced", Map.of("n", i))));

		List<Change> changes = slot.take();
		assertThat(changes).hasSize(count + 2);
		assertThat(changes).extracting(Change::xid).containsOnly(changes.get(0).xid());
		List<String> aggregateIds = changes.subList(1, count + 1)
			.stream()
			.map((change) -> json.readTree(change.message().content()).get("aggregate_id").asString())
			.toList();
		assertThat(aggregateIds).containsExactlyElementsOf(IntStream.range(0, count).mapToObj(String::valueOf).toList());
	}

	@Test
	void publishingOutsideATransactionIsRefusedAsInTableMode() throws SQLException {
		assertThatExceptionOfType(IllegalTransactionStateException.class)
			.isThrownBy(() -> outbox.publish("Order", "1", "OrderPlaced", Map.of("n", 1)))
			.withMessageStartingWith("No transaction is active");

		assertThat(slot.take()).isEmpty();
	}

	@Test
	void rollbackToASavepointDropsTheMessagesPublishedAfterItAndKeepsTheOthers() throws SQLException {
		TransactionTemplate nested = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
		nested.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
		transaction.executeWithoutResult((status) -> {
			outbox.publish("Order", "kept-before", "OrderPlaced", Map.of());
			nested.executeWithoutResult((inner) -> {
				outbox.publish("Order", "dropped", "OrderPlaced", Map.of());
				inner.flush();
				inner.setRollbackOnly();
			});
			outbox.publish("Order", "kept-after", "OrderPlaced", Map.of());
		});

		List<String> aggregateIds = slot.take()
			.stream()
			.filter((change) -> change.message() != null)
			.map((change) -> json.readTree(change.message().content()).get("aggregate_id").asString())
			.toList();
		assertThat(aggregateIds).containsExactly("kept-before", "kept-after");
	}

	private static List<String> fieldNames(JsonNode node) {
		return node.propertyNames().stream().toList();
	}

}
