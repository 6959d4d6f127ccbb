package dev.outbox.sample;

import java.time.Clock;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

import dev.outbox.sample.order.events.OrderShipped;
import dev.outbox.starter.OutboxEventTypes;

/**
 * An order service written the way the outbox starter expects: business changes and their
 * events commit in one PostgreSQL transaction, the relay carries the events to Kafka, and the
 * service's own consumer folds them into a read model.
 */
@SpringBootApplication
public class SampleOrderServiceApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleOrderServiceApplication.class, args);
	}

	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

	/**
	 * Declares {@code OrderShipped.v1}: a domain event that names its own event type, so the
	 * starter cannot know it before the first one is published. The other event types are
	 * declared by the {@code @OutboxEvent} methods of {@code OrderService}.
	 * @return the declaration
	 */
	@Bean
	OutboxEventTypes orderEventTypes() {
		return OutboxEventTypes.of((types) -> types.declare(OrderShipped.TYPE, OrderShipped.class));
	}

}
