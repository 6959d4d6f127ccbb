package dev.outbox.starter;

import java.sql.SQLException;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;

import dev.outbox.starter.LogicalSlot.Change;
import dev.outbox.starter.jpa.PurchaseOrder;
import dev.outbox.starter.jpa.PurchaseOrderRepository;
import dev.outbox.starter.jpa.PurchaseOrderService;
import dev.outbox.testsupport.PostgresTest;
import dev.outbox.testsupport.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Writing events with JPA: {@code JpaTransactionManager}, Hibernate and Spring Data domain
 * events. The outbox writes through the JDBC connection of the JPA transaction, so the
 * entity and the event commit together.
 */
@PostgresTest
class OutboxJpaIntegrationTests {

	private static ConfigurableApplicationContext context;

	private static LogicalSlot slot;

	private static PurchaseOrderService service;

	private static PurchaseOrderRepository repository;

	@BeforeAll
	static void start(TestDatabase database) throws SQLException {
		context = TestApplications.start(database, TestApplications.JpaApplication.class);
		slot = LogicalSlot.create(database);
		service = context.getBean(PurchaseOrderService.class);
		repository = context.getBean(PurchaseOrderRepository.class);
	}

	@AfterAll
	static void stop() throws SQLException {
		if (slot != null) {
			slot.close();
		}
		if (context != null) {
			context.close();
		}
	}

	@BeforeEach
	void drainSlot() throws SQLException {
		slot.take();
	}

	@Test
	void usesJpaTransactionManager() {
		assertThat(context.getBean(PlatformTransactionManager.class)).isInstanceOf(JpaTransactionManager.class);
	}

	@Test
	void domainEventOfSavedAggregateIsWrittenInTheEntityTransaction() throws SQLException {
		PurchaseOrder order = service.place("ada");

		List<Change> changes = slot.take();
		assertThat(changes).extracting(Change::xid).containsOnly(changes.get(0).xid());
		assertThat(changes).extracting(Change::summary)
			.containsExactlyInAnyOrder("BEGIN", "INSERT public.purchase_order", "INSERT public.outbox_event",
					"DELETE public.outbox_event", "COMMIT");
		Change event = eventInsert(changes);
		assertThat(event.column("aggregate_type")).isEqualTo("PurchaseOrder");
		assertThat(event.column("aggregate_id")).isEqualTo(String.valueOf(order.getId()));
		assertThat(event.column("event_type")).isEqualTo("OrderPlaced");
		assertThat(event.column("payload"))
			.isEqualTo("{\"orderId\": " + order.getId() + ", \"customer\": \"ada\"}");
	}

	@Test
	void domainEventOfAggregateSavedWithoutOuterTransactionIsWrittenInTheRepositoryTransaction() throws SQLException {
		PurchaseOrder order = repository.save(PurchaseOrder.place("bob"));
		slot.take();

		repository.save(order.registerPlaced());

		List<Change> changes = slot.take();
		assertThat(changes).extracting(Change::summary)
			.containsExactly("BEGIN", "INSERT public.outbox_event", "DELETE public.outbox_event", "COMMIT");
		assertThat(changes.get(1).column("aggregate_id")).isEqualTo(String.valueOf(order.getId()));
	}

	@Test
	void annotatedMethodOfJpaServiceWritesEventWithTheEntity() throws SQLException {
		PurchaseOrder order = service.create("cy");

		List<Change> changes = slot.take();
		assertThat(changes).extracting(Change::xid).containsOnly(changes.get(0).xid());
		assertThat(changes).extracting(Change::summary)
			.containsExactlyInAnyOrder("BEGIN", "INSERT public.purchase_order", "INSERT public.outbox_event",
					"DELETE public.outbox_event", "COMMIT");
		Change event = eventInsert(changes);
		assertThat(event.column("aggregate_id")).isEqualTo(String.valueOf(order.getId()));
		assertThat(event.column("event_type")).isEqualTo("PurchaseOrderCreated");
		assertThat(event.column("payload")).isEqualTo("{\"customer\": \"cy\"}");
	}

	private static Change eventInsert(List<Change> changes) {
		return changes.stream()
			.filter((change) -> change.summary().equals("INSERT public.outbox_event"))
			.findFirst()
			.orElseThrow();
	}

}
