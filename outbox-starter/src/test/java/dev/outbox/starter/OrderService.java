package dev.outbox.starter;

import java.math.BigDecimal;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;

/**
 * A JDBC business service of the test application: writes an {@code orders} row and
 * publishes events in the same transaction, in the ways an application would.
 */
public class OrderService {

	private final JdbcTemplate jdbcTemplate;

	public OrderService(JdbcTemplate jdbcTemplate) {
		this.jdbcTemplate = jdbcTemplate;
	}

	@Transactional
	@OutboxEvent(aggregateType = "Order", aggregateId = "#result.id", eventType = "OrderPlaced")
	public Order place(long id, String customer, BigDecimal total) {
		return insert(id, customer, total);
	}

	@Transactional
	@OutboxEvent(aggregateType = "Order", aggregateId = "#id", eventType = "OrderPlaced")
	@OutboxEvent(aggregateType = "Customer", aggregateId = "#customer", eventType = "BigOrderPlaced",
			payload = "{ orderId: #id, customer: #p1 }", payloadType = Map.class, condition = "#total > 100")
	public Order placeWithBigOrderEvent(long id, String customer, BigDecimal total) {
		return insert(id, customer, total);
	}

	@Transactional
	@OutboxEvent(aggregateType = "Order", aggregateId = "#id", eventType = "OrderPlaced")
	public Order placeAndFail(long id, String customer, BigDecimal total) {
		insert(id, customer, total);
		throw new IllegalStateException("payment declined");
	}

	/**
	 * Insert an order, then run more code in the same transaction.
	 * @param id the order id
	 * @param then what else to do in the transaction
	 */
	@Transactional
	public void placeThen(long id, Runnable then) {
		insert(id, "ada", BigDecimal.TEN);
		then.run();
	}

	@Transactional(readOnly = true)
	public void readOnly(Runnable then) {
		then.run();
	}

	@Transactional
	@OutboxEvent(aggregateType = "Order", aggregateId = "#order.noSuchProperty", eventType = "OrderPlaced")
	public Order failingAggregateIdExpression(Order order) {
		return insert(order.id(), order.customer(), order.total());
	}

	@Transactional
	@OutboxEvent(aggregateType = "Order", aggregateId = "#noSuchParameter", eventType = "OrderPlaced")
	public Order nullAggregateIdExpression(Order order) {
		return insert(order.id(), order.customer(), order.total());
	}

	@Transactional
	@OutboxEvent(aggregateType = "Order", aggregateId = "#order.id", eventType = "OrderPlaced",
			condition = "'yes'")
	public Order nonBooleanCondition(Order order) {
		return insert(order.id(), order.customer(), order.total());
	}

	@Transactional
	@OutboxEvent(aggregateType = "Order", aggregateId = "#order.id", eventType = "OrderCounted",
			payload = "#order.id / 0", payloadType = Long.class)
	public Order throwingPayloadExpression(Order order) {
		return insert(order.id(), order.customer(), order.total());
	}

	@OutboxEvent(aggregateType = "Order", aggregateId = "#id", eventType = "OrderPlaced")
	public Order placeWithoutTransaction(long id) {
		return insert(id, "ada", BigDecimal.ONE);
	}

	private Order insert(long id, String customer, BigDecimal total) {
		this.jdbcTemplate.update("INSERT INTO orders (id, customer, total) VALUES (?, ?, ?)", id, customer, total);
		return new Order(id, customer, total);
	}

}
