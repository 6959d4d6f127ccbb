package dev.outbox.sample.history;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.outbox.sample.order.OrderStatus;
import dev.outbox.sample.order.events.OrderCancelled;
import dev.outbox.sample.order.events.OrderEvent;
import dev.outbox.sample.order.events.OrderPaid;
import dev.outbox.sample.order.events.OrderPlaced;
import dev.outbox.sample.order.events.OrderShipped;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The order status history read model.
 * <p>
 * {@link #apply} writes one history row per event and must run in the transaction in which
 * {@link OrderEventListener}'s inbox records the event id: the inbox applies each event once,
 * and a failing history write rolls the id back with it, so a redelivery applies the event.
 */
@Service
public class OrderHistory {

	private final JdbcClient jdbc;

	public OrderHistory(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Writes the history entry of an event, in the caller's transaction.
	 * @param event the received event
	 * @return whether an entry was written (always: every order event changes the status)
	 * @throws org.springframework.transaction.IllegalTransactionStateException without a
	 * transaction: the write must commit with the inbox record of the event
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public boolean apply(ReceivedOrderEvent event) {
		OrderStatus status = statusAfter(event.event());
		UUID orderId = event.event().orderId();
		Instant occurredAt = event.event().occurredAt();
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

	private static OrderStatus statusAfter(OrderEvent event) {
		if (event instanceof OrderPlaced) {
			return OrderStatus.PLACED;
		}
		if (event instanceof OrderPaid) {
			return OrderStatus.PAID;
		}
		if (event instanceof OrderCancelled) {
			return OrderStatus.CANCELLED;
		}
		if (event instanceof OrderShipped) {
			return OrderStatus.SHIPPED;
		}
		throw new IllegalArgumentException("Not an order event of this read model: " + event);
	}

}
