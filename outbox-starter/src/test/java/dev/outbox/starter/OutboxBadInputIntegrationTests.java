package dev.outbox.starter;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.IllegalTransactionStateException;

import dev.outbox.testsupport.PostgresTest;
import dev.outbox.testsupport.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Every kind of bad input fails at the call site with an exception naming the problem, and
 * the business transaction rolls back: no order row, nothing in the WAL.
 */
@PostgresTest
class OutboxBadInputIntegrationTests {

	private static final AtomicLong ids = new AtomicLong();

	private static ConfigurableApplicationContext context;

	private static LogicalSlot slot;

	private static OrderService orders;

	private static Outbox outbox;

	private static JdbcTemplate jdbcTemplate;

	@BeforeAll
	static void start(TestDatabase database) throws SQLException {
		context = TestApplications.start(database, TestApplications.JdbcApplication.class,
				"outbox.max-payload-size=2KB", "outbox.max-header-size=64B");
		slot = LogicalSlot.create(database);
		orders = context.getBean(OrderService.class);
		outbox = context.getBean(Outbox.class);
		jdbcTemplate = context.getBean(JdbcTemplate.class);
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
	void publishingWithoutTransactionIsRejected() throws SQLException {
		assertThatExceptionOfType(IllegalTransactionStateException.class)
			.isThrownBy(() -> outbox.publish("Order", "1", "OrderPlaced", Map.of()))
			.withMessageContaining("No transaction is active")
			.withMessageContaining("@Transactional");
		assertThat(slot.take()).isEmpty();
	}

	@Test
	void annotatedMethodWithoutTransactionIsRejectedBeforeItsBodyRuns() throws SQLException {
		long id = ids.addAndGet(2);
		assertThatExceptionOfType(IllegalTransactionStateException.class)
			.isThrownBy(() -> orders.placeWithoutTransaction(id))
			.withMessageContaining("No transaction is active");
		assertThat(jdbcTemplate.queryForObject("SELECT count(*) FROM orders WHERE id = ?", Long.class, id)).isZero();
		assertThat(slot.take()).isEmpty();
	}

	@Test
	void publishingInReadOnlyTransactionIsRejected() throws SQLException {
		assertThatExceptionOfType(IllegalTransactionStateException.class)
			.isThrownBy(() -> orders.readOnly(() -> outbox.publish("Order", "1", "OrderPlaced", Map.of())))
			.withMessageContaining("read-only")
			.withMessageContaining("readOnly = true");
		assertThat(slot.take()).isEmpty();
	}

	static Stream<Arguments> badNames() {
		String tooLong = "x".repeat(256);
		return Stream.of(Arguments.of(null, "1", "OrderPlaced", "aggregateType must not be null"),
				Arguments.of(" ", "1", "OrderPlaced", "aggregateType must not be blank"),
				Arguments.of("Order", null, "OrderPlaced", "aggregateId must not be null"),
				Arguments.of("Order", "", "OrderPlaced", "aggregateId must not be blank"),
				Arguments.of("Order", tooLong, "OrderPlaced", "aggregateId is 256 characters long"),
				Arguments.of("Order", "1", "\t", "eventType must not be blank"),
				Arguments.of("Order", "1", null, "eventType must not be null"));
	}

	@ParameterizedTest
	@MethodSource("badNames")
	void nullBlankOrTooLongAggregateTypeIdOrEventTypeIsRejectedAndRollsBack(String aggregateType, String aggregateId,
			String eventType, String message) throws SQLException {
		assertRejectedAndRolledBack((id) -> outbox.publish(aggregateType, aggregateId, eventType, Map.of()), message);
	}

	@Test
	void unserializablePayloadIsRejectedAndRollsBack() throws SQLException {
		assertRejectedAndRolledBack((id) -> outbox.publish("Order", "1", "OrderPlaced", new Unserializable()),
				"payload of type " + Unserializable.class.getName() + " cannot be serialized to JSON");
	}

	@Test
	void nullPayloadIsRejectedAndRollsBack() throws SQLException {
		assertRejectedAndRolledBack((id) -> outbox.publish("Order", "1", "OrderPlaced", null),
				"payload must not be null");
	}

	@Test
	void payloadLargerThanLimitIsRejectedAndRollsBack() throws SQLException {
		assertRejectedAndRolledBack(
				(id) -> outbox.publish("Order", "1", "OrderPlaced", Map.of("text", "é".repeat(1100))),
				"above outbox.max-payload-size = 2048B");
	}

	@Test
	void payloadWithNulCharacterIsRejectedAndRollsBack() throws SQLException {
		assertRejectedAndRolledBack((id) -> outbox.publish("Order", "1", "OrderPlaced", Map.of("text", "a\0b")),
				"payload contains the character U+0000");
	}

	@Test
	void headerLargerThanLimitIsRejectedAndRollsBack() throws SQLException {
		assertRejectedAndRolledBack(
				(id) -> outbox.publish("Order", "1", "OrderPlaced", Map.of(), Map.of("note", "x".repeat(61))),
				"header 'note' is 65 bytes (name plus value), above outbox.max-header-size = 64B");
	}

	@Test
	void headerWithNullValueIsRejectedAndRollsBack() throws SQLException {
		Map<String, String> headers = new HashMap<>();
		headers.put("note", null);
		assertRejectedAndRolledBack((id) -> outbox.publish("Order", "1", "OrderPlaced", Map.of(), headers),
				"header 'note' has a null value");
	}

	@ParameterizedTest
	@ValueSource(strings = { "id", "EventType", "aggregateType", "schemaVersion", "Content-Type", "ce_id" })
	void reservedHeaderNameIsRejectedAndRollsBack(String name) throws SQLException {
		assertRejectedAndRolledBack((id) -> outbox.publish("Order", "1", "OrderPlaced", Map.of(), Map.of(name, "x")),
				"Header name '" + name + "' is reserved", "Rename the header", "headers argument of Outbox.publish");
	}

	@Test
	void failingAggregateIdExpressionIsRejectedAndRollsBack() throws SQLException {
		assertRejectedAndRolledBack((id) -> orders.failingAggregateIdExpression(order(id)),
				"aggregateId expression '#order.noSuchProperty' failed", "OrderService.failingAggregateIdExpression");
	}

	@Test
	void aggregateIdExpressionYieldingNullIsRejectedAndRollsBack() throws SQLException {
		assertRejectedAndRolledBack((id) -> orders.nullAggregateIdExpression(order(id)),
				"aggregateId expression '#noSuchParameter' yielded null");
	}

	@Test
	void undeclaredEventTypeIsRejectedNamingItAndHowToDeclareItAndNothingOfTheTransactionIsWritten()
			throws SQLException {
		assertRejectedAndRolledBack((id) -> {
			orders.place(id, "ada", BigDecimal.ONE);
			outbox.publish("Order", String.valueOf(id), "OrderShiped", Map.of("id", id));
		}, "eventType 'OrderShiped' is not declared", "OutboxEventTypes.of((types) -> types.declare(\"OrderShiped\", "
				+ "YourPayload.class))", "outbox.contract.require-declared-event-types=false", "OrderPlaced");
	}

	@Test
	void nonBooleanConditionIsRejectedAndRollsBack() throws SQLException {
		assertRejectedAndRolledBack((id) -> orders.nonBooleanCondition(order(id)),
				"condition ''yes'' must yield true or false");
	}

	@Test
	void throwingPayloadExpressionIsRejectedAndRollsBack() throws SQLException {
		assertRejectedAndRolledBack((id) -> orders.throwingPayloadExpression(order(id)),
				"payload expression '#order.id / 0' failed");
	}

	private static Order order(long id) {
		return new Order(id, "ada", BigDecimal.TEN);
	}

	/**
	 * Run {@code publish} in a transaction that has written order {@code id}; it gets
	 * {@code id + 1} for orders of its own. Assert it is rejected and that nothing of the
	 * transaction remains.
	 */
	private static void assertRejectedAndRolledBack(Consumer<Long> publish, String... messages) throws SQLException {
		long id = ids.addAndGet(2);
		assertThatExceptionOfType(InvalidOutboxEventException.class)
			.isThrownBy(() -> orders.placeThen(id, () -> publish.accept(id + 1)))
			.satisfies((ex) -> assertThat(ex.getMessage()).contains(messages));
		assertThat(jdbcTemplate.queryForObject("SELECT count(*) FROM orders WHERE id IN (?, ?)", Long.class, id,
				id + 1))
			.isZero();
		assertThat(slot.take()).isEmpty();
	}

	/**
	 * A payload whose only property cannot be read.
	 */
	static class Unserializable {

		public String getValue() {
			throw new IllegalStateException("not readable");
		}

	}

}
