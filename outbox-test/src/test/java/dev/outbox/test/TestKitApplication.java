package dev.outbox.test;

import java.util.Map;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.outbox.starter.Outbox;
import dev.outbox.starter.OutboxEventTypes;

/**
 * A service that publishes in its transactions, as the tests' application.
 */
@SpringBootApplication
class TestKitApplication {

	@Bean
	OutboxEventTypes eventTypes() {
		return OutboxEventTypes.of((types) -> types.declare("OrderPlaced", OrderPlaced.class)
			.declare("OrderPaid", OrderPaid.class));
	}

	record OrderPlaced(String orderId, String customerId) {
	}

	record OrderPaid(String orderId, String reference) {
	}

	@Service
	static class Orders {

		private final Outbox outbox;

		Orders(Outbox outbox) {
			this.outbox = outbox;
		}

		@Transactional
		public void place(String orderId, String customerId) {
			this.outbox.publish("order", orderId, "OrderPlaced", new OrderPlaced(orderId, customerId),
					Map.of("tenant", "acme"));
		}

		@Transactional
		public void placeAndPay(String orderId) {
			place(orderId, "c-1");
			this.outbox.publish("order", orderId, "OrderPaid", new OrderPaid(orderId, "ref-" + orderId));
		}

		@Transactional
		public void placeAndFail(String orderId) {
			place(orderId, "c-1");
			throw new IllegalStateException("payment declined");
		}

	}

}
