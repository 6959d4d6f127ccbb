package dev.outbox.sample.order;

import java.math.BigDecimal;
import java.util.List;

import dev.outbox.sample.order.events.OrderEvent;
import dev.outbox.sample.order.events.OrderPaid;
import dev.outbox.sample.order.events.OrderPlaced;
import dev.outbox.test.AutoConfigureOutboxTestKit;
import dev.outbox.test.CapturedOutboxEvents;
import dev.outbox.testsupport.PostgresTest;
import dev.outbox.testsupport.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The outbox test kit in the sample: a business call is checked for the events it published,
 * captured in memory after commit, with no relay and no Kafka (the real write path still runs on
 * PostgreSQL underneath).
 */
@PostgresTest
@SpringBootTest(properties = "spring.kafka.listener.auto-startup=false")
@AutoConfigureOutboxTestKit
class OrderEventsCapturedIntegrationTests {

	private static TestDatabase database;

	@Autowired
	private OrderService orders;

	@Autowired
	private CapturedOutboxEvents events;

	@BeforeAll
	static void database(TestDatabase testDatabase) {
		database = testDatabase;
	}

	@DynamicPropertySource
	static void dataSource(DynamicPropertyRegistry registry) {
		registry.add("spring.datasource.url", () -> database.jdbcUrl());
		registry.add("spring.datasource.username", () -> database.username());
		registry.add("spring.datasource.password", () -> database.password());
	}

	@Test
	void placingAnOrderPublishesOrderPlacedForThatOrder() {
		OrderPlaced placed = this.orders.place(new PlaceOrder("customer-7", "EUR",
				List.of(new PlaceOrder.Line("sku-1", 2, new BigDecimal("9.99")))));

		assertThat(this.events).contains(OrderPlaced.TYPE)
			.forAggregate(OrderEvent.AGGREGATE_TYPE, placed.orderId().toString())
			.matching(OrderPlaced.class, OrderPlaced::customerId, "customer-7")
			.hasSize(1);
		assertThat(this.events).doesNotContain(OrderPaid.TYPE);
	}

	@Test
	void aRefusedTransitionPublishesNothing() {
		OrderPlaced placed = this.orders.place(new PlaceOrder("customer-8", "EUR",
				List.of(new PlaceOrder.Line("sku-2", 1, new BigDecimal("5.00")))));
		this.orders.cancel(placed.orderId(), "changed my mind");

		assertThatExceptionOfType(IllegalOrderTransitionException.class)
			.isThrownBy(() -> this.orders.pay(placed.orderId(), "ref-1"));

		assertThat(this.events).doesNotContain(OrderPaid.TYPE);
		assertThat(this.events.forAggregate(OrderEvent.AGGREGATE_TYPE, placed.orderId().toString()).byTransaction())
			.hasSize(2);
	}

}
