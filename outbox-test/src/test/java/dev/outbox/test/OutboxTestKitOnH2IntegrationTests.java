package dev.outbox.test;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import dev.outbox.test.TestKitApplication.OrderPlaced;
import dev.outbox.test.TestKitApplication.Orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * On H2, where the outbox cannot write, the test kit captures what each committed transaction
 * published, instead of the publish failing: by type, aggregate and payload; nothing for a
 * rollback; one group per transaction; nothing left over from an earlier test.
 */
@SpringBootTest(classes = TestKitApplication.class, properties = "spring.datasource.url=jdbc:h2:mem:testkit")
@AutoConfigureOutboxTestKit
class OutboxTestKitOnH2IntegrationTests {

	@Autowired
	private Orders orders;

	@Autowired
	private CapturedOutboxEvents events;

	@Test
	void committedEventIsCapturedByTypeAggregateAndPayload() {
		this.orders.place("o-1", "c-42");

		assertThat(this.events).contains("OrderPlaced")
			.forAggregate("order", "o-1")
			.matching(OrderPlaced.class, OrderPlaced::customerId, "c-42")
			.hasSize(1);
		assertThat(this.events.ofType("OrderPlaced").all().get(0).headers()).containsEntry("tenant", "acme");
		assertThat(this.events.ofType("OrderPlaced").payloads(OrderPlaced.class))
			.containsExactly(new OrderPlaced("o-1", "c-42"));
	}

	@Test
	void rolledBackTransactionCapturesNothing() {
		assertThatIllegalStateException().isThrownBy(() -> this.orders.placeAndFail("o-2"));

		assertThat(this.events).isEmpty();
	}

	@Test
	void eventsAreGroupedByCommittedTransaction() {
		this.orders.place("o-3", "c-1");
		this.orders.placeAndPay("o-4");

		assertThat(this.events.byTransaction()).hasSize(2);
		assertThat(this.events.byTransaction().get(1)).extracting(CapturedOutboxEvent::eventType)
			.containsExactly("OrderPlaced", "OrderPaid");
		assertThat(this.events).doesNotContain("OrderCancelled");
	}

	@Test
	void failedExpectationNamesWhatWasCaptured() {
		this.orders.place("o-5", "c-1");

		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(this.events).contains("OrderPlaced").forAggregate("order", "o-6"))
			.withMessageContaining("of aggregate order 'o-6'")
			.withMessageContaining("OrderPlaced of order 'o-5'");
	}

}
