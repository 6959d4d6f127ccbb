package dev.outbox.test;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import dev.outbox.starter.Outbox;
import dev.outbox.test.TestKitApplication.OrderPlaced;
import dev.outbox.test.TestKitApplication.Orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * On H2, where the outbox cannot write, the test kit captures what each committed transaction
 * published, instead of the publish failing: by type, aggregate and payload; nothing for a
 * rollback, or after a savepoint rolled back to; one group per transaction; nothing left over from
 * an earlier test. A batch size of 1 makes every event written at once, before any savepoint.
 */
@SpringBootTest(classes = TestKitApplication.class,
		properties = { "spring.datasource.url=jdbc:h2:mem:testkit", "outbox.batch-size=1" })
@AutoConfigureOutboxTestKit
class OutboxTestKitOnH2IntegrationTests {

	@Autowired
	private Orders orders;

	@Autowired
	private CapturedOutboxEvents events;

	@Autowired
	private Outbox outbox;

	@Autowired
	private PlatformTransactionManager transactionManager;

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
	void rollbackToASavepointDropsOnlyTheEventsPublishedAfterIt() {
		TransactionTemplate outer = new TransactionTemplate(this.transactionManager);
		TransactionTemplate nested = new TransactionTemplate(this.transactionManager);
		nested.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
		outer.executeWithoutResult((status) -> {
			this.outbox.publish("order", "o-7", "OrderPlaced", new OrderPlaced("o-7", "c-1"));
			nested.executeWithoutResult((savepoint) -> {
				this.outbox.publish("order", "o-8", "OrderPlaced", new OrderPlaced("o-8", "c-1"));
				savepoint.setRollbackOnly();
			});
			this.outbox.publish("order", "o-9", "OrderPlaced", new OrderPlaced("o-9", "c-1"));
		});

		assertThat(this.events.ofType("OrderPlaced").all()).extracting(CapturedOutboxEvent::aggregateId)
			.containsExactly("o-7", "o-9");
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
