package dev.outbox.starter;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.aop.support.AopUtils;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.IllegalTransactionStateException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.outbox.starter.LogicalSlot.Change;
import dev.outbox.testsupport.PostgresTest;
import dev.outbox.testsupport.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Writing events with plain JDBC and {@code DataSourceTransactionManager}, checked on what
 * the relay would see: the committed WAL, decoded by a {@code test_decoding} slot.
 */
@PostgresTest
class OutboxJdbcIntegrationTests {

	private static final AtomicLong ids = new AtomicLong();

	private static ConfigurableApplicationContext context;

	private static LogicalSlot slot;

	private static OrderService orders;

	private static Outbox outbox;

	private static JdbcTemplate jdbcTemplate;

	private static PlatformTransactionManager transactionManager;

	@BeforeAll
	static void start(TestDatabase database) throws SQLException {
		context = TestApplications.start(database, TestApplications.JdbcApplication.class);
		slot = LogicalSlot.create(database);
		orders = context.getBean(OrderService.class);
		outbox = context.getBean(Outbox.class);
		jdbcTemplate = context.getBean(JdbcTemplate.class);
		transactionManager = context.getBean(PlatformTransactionManager.class);
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
	void usesDataSourceTransactionManager() {
		assertThat(transactionManager).isInstanceOf(JdbcTransactionManager.class);
	}

	@Test
	void commitLeavesTableEmptyAndWalHoldsBusinessInsertAndEventInsertAndDeleteInOneTransaction() throws SQLException {
		long id = ids.incrementAndGet();
		orders.place(id, "ada", new BigDecimal("12.50"));

		assertThat(jdbcTemplate.queryForObject("SELECT count(*) FROM outbox_event", Long.class)).isZero();
		List<Change> changes = slot.take();
		assertThat(changes).extracting(Change::summary)
			.containsExactly("BEGIN", "INSERT public.orders", "INSERT public.outbox_event",
					"DELETE public.outbox_event", "COMMIT");
		assertThat(changes).extracting(Change::xid).containsOnly(changes.get(0).xid());
		Change event = changes.get(2);
		assertThat(event.column("aggregate_type")).isEqualTo("Order");
		assertThat(event.column("aggregate_id")).isEqualTo(String.valueOf(id));
		assertThat(event.column("event_type")).isEqualTo("OrderPlaced");
		assertThat(event.column("payload")).isEqualTo("{\"id\": " + id + ", \"total\": 12.50, \"customer\": \"ada\"}");
		assertThat(event.column("headers")).isEqualTo("null");
		assertThat(event.column("created_at")).isNotBlank();
		assertThat(UUID.fromString(event.column("id")).version()).isEqualTo(7);
		assertThat(changes.get(3).column("id")).isEqualTo(event.column("id"));
	}

	@Test
	void rollbackLeavesNoEvent() throws SQLException {
		long id = ids.incrementAndGet();
		assertThatIllegalStateException().isThrownBy(() -> orders.placeAndFail(id, "ada", BigDecimal.ONE))
			.withMessage("payment declined");

		assertThat(slot.take()).isEmpty();
		assertThat(jdbcTemplate.queryForObject("SELECT count(*) FROM orders WHERE id = ?", Long.class, id)).isZero();
	}

	@Test
	void repeatedAnnotationPublishesEachEventWhoseConditionHoldsInDeclarationOrder() throws SQLException {
		long big = ids.incrementAndGet();
		long small = ids.incrementAndGet();
		orders.placeWithBigOrderEvent(big, "bob", new BigDecimal("150.00"));
		orders.placeWithBigOrderEvent(small, "bob", new BigDecimal("50.00"));

		List<Change> inserts = eventInserts(slot.take());
		assertThat(inserts).extracting((change) -> change.column("event_type") + ":" + change.column("aggregate_id"))
			.containsExactly("OrderPlaced:" + big, "BigOrderPlaced:bob", "OrderPlaced:" + small);
		assertThat(inserts.get(1).column("payload")).isEqualTo("{\"orderId\": " + big + ", \"customer\": \"bob\"}");
	}

	@Test
	void annotatedMethodOfNonTransactionalBeanPublishesInTheCallersTransaction() throws SQLException {
		AuditService audit = context.getBean(AuditService.class);
		long id = ids.incrementAndGet();
		orders.placeThen(id, () -> audit.loggedIn("ada"));

		assertThat(AopUtils.isCglibProxy(audit)).isTrue();
		List<Change> changes = slot.take();
		assertThat(changes).extracting(Change::summary)
			.containsExactly("BEGIN", "INSERT public.orders", "INSERT public.outbox_event",
					"DELETE public.outbox_event", "COMMIT");
		assertThat(changes.get(2).column("payload")).isEqualTo("{\"user\": \"ada\"}");
	}

	@Test
	void programmaticPublishStoresUserHeadersAsJsonObject() throws SQLException {
		long id = ids.incrementAndGet();
		orders.placeThen(id, () -> outbox.publish("Order", String.valueOf(id), "OrderPlaced", Map.of("id", id),
				Map.of("tenant", "acme", "source", "test")));

		Change event = eventInserts(slot.take()).get(0);
		assertThat(event.column("headers")).isEqualTo("{\"source\": \"test\", \"tenant\": \"acme\"}");
		assertThat(event.column("payload")).isEqualTo("{\"id\": " + id + "}");
	}

	@Test
	void applicationEventThatIsAnOutboxDomainEventIsWrittenInThePublishingTransaction() throws SQLException {
		long id = ids.incrementAndGet();
		ApplicationEventPublisher publisher = context;
		orders.placeThen(id, () -> publisher.publishEvent(new CustomerRegistered("c-" + id, "Ada")));

		List<Change> changes = slot.take();
		assertThat(changes).extracting(Change::summary)
			.containsExactly("BEGIN", "INSERT public.orders", "INSERT public.outbox_event",
					"DELETE public.outbox_event", "COMMIT");
		Change event = changes.get(2);
		assertThat(event.column("aggregate_type")).isEqualTo("Customer");
		assertThat(event.column("aggregate_id")).isEqualTo("c-" + id);
		assertThat(event.column("event_type")).isEqualTo("CustomerRegistered");
		assertThat(event.column("payload")).isEqualTo("{\"name\": \"Ada\", \"customerId\": \"c-" + id + "\"}");
	}

	@Test
	void largeTransactionIsWrittenInBatchesOfBatchSizeInPublishOrder() throws SQLException {
		int count = 1234;
		transaction().executeWithoutResult((status) -> IntStream.range(0, count)
			.forEach((i) -> outbox.publish("Order", String.valueOf(i), "OrderPlaced", Map.of("n", i))));

		List<Change> changes = slot.take();
		assertThat(changes).extracting(Change::xid).containsOnly(changes.get(0).xid());
		List<Change> rows = changes.subList(1, changes.size() - 1);
		assertThat(runs(rows)).containsExactly("500 INSERT", "500 DELETE", "500 INSERT", "500 DELETE", "234 INSERT",
				"234 DELETE");
		List<Change> inserts = eventInserts(rows);
		assertThat(inserts).extracting((change) -> change.column("aggregate_id"))
			.containsExactlyElementsOf(IntStream.range(0, count).mapToObj(String::valueOf).toList());
		assertThat(inserts).extracting((change) -> UUID.fromString(change.column("id"))).isSorted();
	}

	@Test
	void rollbackToSavepointDropsEventsPublishedAfterItAndKeepsThoseBefore() throws SQLException {
		transaction().executeWithoutResult((status) -> {
			outbox.publish("Order", "before", "OrderPlaced", Map.of());
			Object savepoint = status.createSavepoint();
			// 500 more events fill the batch, so "before" is written after the savepoint too.
			IntStream.range(0, 500).forEach((i) -> outbox.publish("Order", "inside", "OrderPlaced", Map.of()));
			status.rollbackToSavepoint(savepoint);
			outbox.publish("Order", "after", "OrderPlaced", Map.of());
		});

		assertThat(eventInserts(slot.take())).extracting((change) -> change.column("aggregate_id"))
			.containsExactly("before", "after");
	}

	@Test
	void nestedTransactionThatRollsBackDropsOnlyItsOwnEvents() throws SQLException {
		TransactionTemplate nested = transaction();
		nested.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
		transaction().executeWithoutResult((status) -> {
			outbox.publish("Order", "outer-1", "OrderPlaced", Map.of());
			nested.executeWithoutResult((inner) -> {
				outbox.publish("Order", "nested", "OrderPlaced", Map.of());
				inner.setRollbackOnly();
			});
			outbox.publish("Order", "outer-2", "OrderPlaced", Map.of());
		});

		assertThat(eventInserts(slot.take())).extracting((change) -> change.column("aggregate_id"))
			.containsExactly("outer-1", "outer-2");
	}

	@Test
	void requiresNewTransactionCommitsItsEventsIndependentlyOfTheOuterOne() throws SQLException {
		TransactionTemplate requiresNew = transaction();
		requiresNew.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		transaction().executeWithoutResult((status) -> {
			outbox.publish("Order", "outer", "OrderPlaced", Map.of());
			requiresNew.executeWithoutResult(
					(inner) -> outbox.publish("Order", "inner", "OrderPlaced", Map.of()));
			status.setRollbackOnly();
		});

		assertThat(eventInserts(slot.take())).extracting((change) -> change.column("aggregate_id"))
			.containsExactly("inner");
	}

	@Test
	void firstEventPublishedFromBeforeCommitCallbackIsWritten() throws SQLException {
		long id = ids.incrementAndGet();
		orders.placeThen(id, () -> TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void beforeCommit(boolean readOnly) {
				outbox.publish("Order", "from-before-commit", "OrderPlaced", Map.of());
			}
		}));

		List<Change> changes = slot.take();
		assertThat(changes).extracting(Change::summary)
			.containsExactly("BEGIN", "INSERT public.orders", "INSERT public.outbox_event",
					"DELETE public.outbox_event", "COMMIT");
		assertThat(changes.get(2).column("aggregate_id")).isEqualTo("from-before-commit");
	}

	@Test
	void eventPublishedFromBeforeCommitCallbackAfterTheOutboxFlushedIsWritten() throws SQLException {
		transaction().executeWithoutResult((status) -> {
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public int getOrder() {
					return LOWEST_PRECEDENCE;
				}

				@Override
				public void beforeCommit(boolean readOnly) {
					outbox.publish("Order", "late", "OrderPlaced", Map.of());
				}
			});
			outbox.publish("Order", "early", "OrderPlaced", Map.of());
		});

		assertThat(eventInserts(slot.take())).extracting((change) -> change.column("aggregate_id"))
			.containsExactly("early", "late");
	}

	@Test
	void publishingFromAfterCommitOrAfterCompletionCallbackIsRejected() throws SQLException {
		AtomicReference<RuntimeException> afterCommit = new AtomicReference<>();
		AtomicReference<RuntimeException> afterCompletion = new AtomicReference<>();
		long id = ids.incrementAndGet();
		orders.placeThen(id, () -> TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void afterCommit() {
				afterCommit.set(publishCatching());
			}

			@Override
			public void afterCompletion(int status) {
				afterCompletion.set(publishCatching());
			}
		}));

		assertThat(afterCommit.get()).isInstanceOf(IllegalTransactionStateException.class)
			.hasMessageContaining("already completing");
		assertThat(afterCompletion.get()).isInstanceOf(IllegalTransactionStateException.class)
			.hasMessageContaining("synchronization is not active");
		assertThat(slot.take()).extracting(Change::summary)
			.containsExactly("BEGIN", "INSERT public.orders", "COMMIT");
	}

	private static RuntimeException publishCatching() {
		try {
			outbox.publish("Order", "too-late", "OrderPlaced", Map.of());
			return null;
		}
		catch (RuntimeException ex) {
			return ex;
		}
	}

	private static TransactionTemplate transaction() {
		return new TransactionTemplate(transactionManager);
	}

	private static List<Change> eventInserts(List<Change> changes) {
		return changes.stream()
			.filter((change) -> change.summary().equals("INSERT public.outbox_event"))
			.toList();
	}

	private static List<String> runs(List<Change> rows) {
		List<String> runs = new ArrayList<>();
		String kind = null;
		int length = 0;
		for (Change row : rows) {
			if (!row.kind().equals(kind) && kind != null) {
				runs.add(length + " " + kind);
				length = 0;
			}
			kind = row.kind();
			length++;
		}
		if (kind != null) {
			runs.add(length + " " + kind);
		}
		return runs;
	}

}
