package dev.outbox.bench.writepath;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import dev.outbox.starter.OutboxEvent;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The same business transaction three times, as the sample's {@code OrderService.place} writes
 * it: save the order with its lines, then nothing, one {@code @OutboxEvent}, or ten.
 */
@Service
public class PlaceOrders {

	private final BenchOrderRepository orders;

	public PlaceOrders(BenchOrderRepository orders) {
		this.orders = orders;
	}

	/**
	 * Places an order and publishes nothing.
	 * @param customerId who orders
	 * @return the event, not published
	 */
	@Transactional
	public OrderPlaced withoutEvent(String customerId) {
		return this.orders.save(BenchOrder.place(customerId, now())).placedEvent();
	}

	/**
	 * Places an order and publishes one event.
	 * @param customerId who orders
	 * @return the event
	 */
	@Transactional
	@OutboxEvent(aggregateType = "order", aggregateId = "#result.orderId()", eventType = "OrderPlaced")
	public OrderPlaced withOneEvent(String customerId) {
		return this.orders.save(BenchOrder.place(customerId, now())).placedEvent();
	}

	/**
	 * Places an order and publishes ten events.
	 * @param customerId who orders
	 * @return the event
	 */
	@Transactional
	@OutboxEvent(aggregateType = "order", aggregateId = "#result.orderId()", eventType = "OrderPlaced.1")
	@OutboxEvent(aggregateType = "order", aggregateId = "#result.orderId()", eventType = "OrderPlaced.2")
	@OutboxEvent(aggregateType = "order", aggregateId = "#result.orderId()", eventType = "OrderPlaced.3")
	@OutboxEvent(aggregateType = "order", aggregateId = "#result.orderId()", eventType = "OrderPlaced.4")
	@OutboxEvent(aggregateType = "order", aggregateId = "#result.orderId()", eventType = "OrderPlaced.5")
	@OutboxEvent(aggregateType = "order", aggregateId = "#result.orderId()", eventType = "OrderPlaced.6")
	@OutboxEvent(aggregateType = "order", aggregateId = "#result.orderId()", eventType = "OrderPlaced.7")
	@OutboxEvent(aggregateType = "order", aggregateId = "#result.orderId()", eventType = "OrderPlaced.8")
	@OutboxEvent(aggregateType = "order", aggregateId = "#result.orderId()", eventType = "OrderPlaced.9")
	@OutboxEvent(aggregateType = "order", aggregateId = "#result.orderId()", eventType = "OrderPlaced.10")
	public OrderPlaced withTenEvents(String customerId) {
		return this.orders.save(BenchOrder.place(customerId, now())).placedEvent();
	}

	private static Instant now() {
		return Instant.now().truncatedTo(ChronoUnit.MICROS);
	}

}
