package dev.outbox.sample.order;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import dev.outbox.sample.order.events.OrderCancelled;
import dev.outbox.sample.order.events.OrderEvent;
import dev.outbox.sample.order.events.OrderPaid;
import dev.outbox.sample.order.events.OrderPlaced;
import dev.outbox.starter.OutboxEvent;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The order use cases. Each changes the order and writes its event in one transaction, so that
 * either both commit or neither does:
 * <ul>
 * <li>{@link #place}, {@link #pay} and {@link #cancel} return their event, and
 * {@link OutboxEvent @OutboxEvent} writes it ({@code payload} defaults to {@code #result});</li>
 * <li>{@link #ship} saves the order, whose registered {@code OrderShipped} domain event the
 * starter writes during {@code save}.</li>
 * </ul>
 * A refused transition throws before the method returns, so no event is written.
 */
@Service
public class OrderService {

	private final OrderRepository orders;

	private final Clock clock;

	public OrderService(OrderRepository orders, Clock clock) {
		this.orders = orders;
		this.clock = clock;
	}

	/**
	 * Places an order.
	 * @param command what is ordered
	 * @return the event, written to the outbox
	 */
	@Transactional
	@OutboxEvent(aggregateType = OrderEvent.AGGREGATE_TYPE, aggregateId = "#result.orderId()",
			eventType = OrderPlaced.TYPE)
	public OrderPlaced place(PlaceOrder command) {
		Order order = this.orders.save(Order.place(command, now()));
		return order.placedEvent();
	}

	/**
	 * Records the payment of a placed order.
	 * @param orderId the order
	 * @param paymentReference the payment provider's reference
	 * @return the event, written to the outbox
	 */
	@Transactional
	@OutboxEvent(aggregateType = OrderEvent.AGGREGATE_TYPE, aggregateId = "#orderId", eventType = OrderPaid.TYPE)
	public OrderPaid pay(UUID orderId, String paymentReference) {
		return load(orderId).pay(paymentReference, now());
	}

	/**
	 * Cancels an order that has not been shipped.
	 * @param orderId the order
	 * @param reason why
	 * @return the event, written to the outbox
	 */
	@Transactional
	@OutboxEvent(aggregateType = OrderEvent.AGGREGATE_TYPE, aggregateId = "#orderId",
			eventType = OrderCancelled.TYPE)
	public OrderCancelled cancel(UUID orderId, String reason) {
		return load(orderId).cancel(reason, now());
	}

	/**
	 * Ships a paid order; its {@code OrderShipped} event goes out as a Spring Data domain event.
	 * @param orderId the order
	 * @param trackingNumber the carrier's tracking number
	 */
	@Transactional
	public void ship(UUID orderId, String trackingNumber) {
		Order order = load(orderId);
		order.ship(trackingNumber, now());
		this.orders.save(order);
	}

	/**
	 * Reads an order with its lines.
	 * @param orderId the order
	 * @return a detached view of it
	 */
	@Transactional(readOnly = true)
	public OrderView get(UUID orderId) {
		return OrderView.of(load(orderId));
	}

	private Order load(UUID orderId) {
		return this.orders.findById(orderId).orElseThrow(() -> new OrderNotFoundException(orderId));
	}

	// PostgreSQL keeps microseconds: the event carries the same instant as the row.
	private Instant now() {
		return this.clock.instant().truncatedTo(ChronoUnit.MICROS);
	}

}
