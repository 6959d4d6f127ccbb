package dev.outbox.sample.history;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.outbox.sample.order.OrderStatus;
import dev.outbox.sample.order.events.OrderCancelled;
import dev.outbox.sample.order.events.OrderPaid;
import dev.outbox.sample.order.events.OrderPlaced;
import dev.outbox.sample.order.events.OrderShipped;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The order status history read model, applied idempotently.
 * <p>
 * The relay delivers at least once: after a crash or a Kafka retry the same event (same
 * {@code id} header) can arrive again, possibly much later. {@link #apply} therefore claims the
 * event id in {@code processed_event} and writes the history row <em>in the same transaction</em>:
 * <ul>
 * <li>the claim is {@code INSERT ... ON CONFLICT DO NOTHING}; zero rows inserted means the event
 * was applied before, and nothing else is written;</li>
 * <li>if the history write fails, the claim rolls back with it, so a retried delivery applies the
 * event instead of skipping it;</li>
 * <li>two consumers racing on the same id: the second {@code INSERT} waits for the first
 * transaction and then inserts nothing.</li>
 * </ul>
 * Ordering needs no extra work: the relay keeps each order's first deliveries in commit order
 * (the key is the order id), and a redelivered event is skipped here.
 */
@Service
public class OrderHistory {

	private static final Logger logger = LoggerFactory.getLogger(OrderHistory.class);

	private static final Map<String, OrderStatus> STATUS_BY_EVENT_TYPE = Map.of(OrderPlaced.TYPE, OrderStatus.PLACED,
			OrderPaid.TYPE, OrderStatus.PAID, OrderCancelled.TYPE, OrderStatus.CANCELLED, OrderShipped.TYPE,
			OrderStatus.SHIPPED);

	private final JdbcClient jdbc;

	private final JsonMapper json;

	public OrderHistory(JdbcClient jdbc, JsonMapper json) {
		this.jdbc = jdbc;
		this.json = json;
	}

	/**
	 * Applies an event once, whatever the number of deliveries.
	 * @param event the received event
	 * @return whether it was applied now ({@code false}: already applied before, or not an event
	 * of this read model)
	 */
	@Transactional
	public boolean apply(ReceivedOrderEvent event) {
		OrderStatus status = STATUS_BY_EVENT_TYPE.get(event.eventType());
		if (status == null) {
			logger.warn("Skipping event {} of unknown type {} for order {}", event.eventId(), event.eventType(),
					event.orderId());
			return false;
		}
		int claimed = this.jdbc.sql("INSERT INTO processed_event (event_id) VALUES (?) ON CONFLICT DO NOTHING")
			.param(event.eventId())
			.update();
		if (claimed == 0) {
			logger.debug("Skipping event {} ({}): already applied", event.eventId(), event.eventType());
			return false;
		}
		JsonNode payload = this.json.readTree(event.payload());
		UUID orderId = UUID.fromString(payload.required("orderId").asString());
		Instant occurredAt = Instant.parse(payload.required("occurredAt").asString());
		this.jdbc
			.sql("INSERT INTO order_status_history (order_id, event_id, event_type, status, occurred_at) "
					+ "VALUES (?, ?, ?, ?, ?)")
			.params(orderId, event.eventId(), event.eventType(), status.name(), Timestamp.from(occurredAt))
			.update();
		return true;
	}

	/**
	 * Returns an order's history in the order the events were applied.
	 * @param orderId the order
	 * @return its entries, empty when none arrived yet
	 */
	@Transactional(readOnly = true)
	public List<OrderHistoryEntry> of(UUID orderId) {
		return this.jdbc
			.sql("SELECT event_id, event_type, status, occurred_at, recorded_at FROM order_status_history "
					+ "WHERE order_id = ? ORDER BY seq")
			.param(orderId)
			.query((rs, row) -> new OrderHistoryEntry(rs.getObject("event_id", UUID.class), rs.getString("event_type"),
					rs.getString("status"), rs.getTimestamp("occurred_at").toInstant(),
					rs.getTimestamp("recorded_at").toInstant()))
			.list();
	}

}
