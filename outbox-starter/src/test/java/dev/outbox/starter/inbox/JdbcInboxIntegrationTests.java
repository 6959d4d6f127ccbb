package dev.outbox.starter.inbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.IllegalTransactionStateException;
import org.springframework.transaction.support.TransactionTemplate;

import dev.outbox.contract.TableName;
import dev.outbox.starter.flyway.OutboxSchemaMigration;
import dev.outbox.testsupport.PostgresTest;
import dev.outbox.testsupport.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * {@link JdbcInbox} on a real PostgreSQL: an event applied once per consumer, its duplicates
 * skipped and counted, the record rolled back with the work, no call outside a transaction,
 * and concurrent deliveries of one event applying it once.
 */
@PostgresTest
class JdbcInboxIntegrationTests {

	private static final TableName TABLE = TableName.parse("public.inbox_event", "outbox.inbox.table");

	private static DataSource dataSource;

	private static JdbcTemplate jdbcTemplate;

	private static TransactionTemplate transaction;

	private static TransactionTemplate otherDataSourceTransaction;

	private SimpleMeterRegistry meterRegistry;

	private JdbcInbox inbox;

	private ExecutorService executor;

	@BeforeAll
	static void migrate(TestDatabase database) {
		dataSource = database.dataSource();
		new OutboxSchemaMigration(dataSource, TableName.parse("public.outbox_event", "outbox.table"), TABLE,
				"outbox_schema_history").migrate();
		jdbcTemplate = new JdbcTemplate(dataSource);
		jdbcTemplate.execute("CREATE TABLE effect (consumer text NOT NULL, event_id text NOT NULL)");
		transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
		otherDataSourceTransaction = new TransactionTemplate(new DataSourceTransactionManager(database.dataSource()));
	}

	@BeforeEach
	void createInbox() {
		this.meterRegistry = new SimpleMeterRegistry();
		this.inbox = new JdbcInbox(dataSource, TABLE, new MicrometerInboxMetrics(this.meterRegistry));
		this.executor = Executors.newCachedThreadPool();
	}

	@AfterEach
	void stopThreads() throws InterruptedException {
		this.executor.shutdownNow();
		this.executor.awaitTermination(30, TimeUnit.SECONDS);
	}

	@Test
	void anEventIsAppliedOnceAndItsDuplicateIsSkippedAndCounted() {
		String id = UUID.randomUUID().toString();

		assertThat(applyInTransaction("history", id)).isTrue();
		assertThat(applyInTransaction("history", id)).isFalse();
		assertThat(applyInTransaction("history", id)).isFalse();

		assertThat(effects("history", id)).isEqualTo(1);
		assertThat(inboxRows("history", id)).isEqualTo(1);
		assertThat(count(MicrometerInboxMetrics.APPLIED, "history")).isEqualTo(1);
		assertThat(count(MicrometerInboxMetrics.DUPLICATES, "history")).isEqualTo(2);
	}

	@Test
	void eachConsumerAppliesTheSameEventOnce() {
		String id = UUID.randomUUID().toString();

		assertThat(applyInTransaction("history", id)).isTrue();
		assertThat(applyInTransaction("mailer", id)).isTrue();
		assertThat(applyInTransaction("mailer", id)).isFalse();

		assertThat(effects("history", id)).isEqualTo(1);
		assertThat(effects("mailer", id)).isEqualTo(1);
	}

	@Test
	void aFailingWorkRollsBackTheInboxRecordSoTheRedeliveryAppliesTheEvent() {
		String id = UUID.randomUUID().toString();

		assertThatIllegalStateException().isThrownBy(() -> transaction.executeWithoutResult((status) -> this.inbox
			.applyOnce("history", id, () -> {
				recordEffect("history", id);
				throw new IllegalStateException("history write failed");
			}))).withMessage("history write failed");

		assertThat(inboxRows("history", id)).isZero();
		assertThat(effects("history", id)).isZero();
		assertThat(count(MicrometerInboxMetrics.APPLIED, "history")).isZero();

		assertThat(applyInTransaction("history", id)).isTrue();
		assertThat(effects("history", id)).isEqualTo(1);
		assertThat(count(MicrometerInboxMetrics.APPLIED, "history")).isEqualTo(1);
	}

	@Test
	void aDuplicateIsCountedOnlyWhenItsTransactionCommits() {
		String id = UUID.randomUUID().toString();
		applyInTransaction("history", id);

		transaction.executeWithoutResult((status) -> {
			this.inbox.applyOnce("history", id, () -> recordEffect("history", id));
			status.setRollbackOnly();
		});

		assertThat(count(MicrometerInboxMetrics.DUPLICATES, "history")).isZero();
	}

	@Test
	void withoutATransactionTheInboxRefusesAndNeitherRecordsNorRuns() {
		String id = UUID.randomUUID().toString();

		assertThatThrownBy(() -> this.inbox.applyOnce("history", id, () -> recordEffect("history", id)))
			.isInstanceOf(IllegalTransactionStateException.class)
			.hasMessageContaining("No transaction is active")
			.hasMessageContaining("event " + id + " of consumer history")
			.hasMessageContaining("@InboxListener");

		assertThat(inboxRows("history", id)).isZero();
		assertThat(effects("history", id)).isZero();
	}

	@Test
	void underAnotherDataSourcesTransactionManagerTheInboxRefusesSoAFailedWorkIsRedelivered() {
		String id = UUID.randomUUID().toString();

		Throwable thrown = catchThrowable(() -> otherDataSourceTransaction.executeWithoutResult((status) -> {
			// A read through Spring binds a connection of the inbox's DataSource, in auto-commit.
			jdbcTemplate.queryForObject("SELECT 1", Integer.class);
			this.inbox.applyOnce("history", id, () -> {
				throw new IllegalStateException("history write failed");
			});
		}));

		assertThat(inboxRows("history", id)).isZero();
		assertThat(thrown).isInstanceOf(IllegalTransactionStateException.class)
			.hasMessageContaining("auto-commit")
			.hasMessageContaining("@Transactional(transactionManager = ...)");
	}

	@Test
	void inAReadOnlyTransactionTheInboxRefuses() {
		TransactionTemplate readOnly = new TransactionTemplate(transaction.getTransactionManager());
		readOnly.setReadOnly(true);
		String id = UUID.randomUUID().toString();

		assertThatThrownBy(() -> readOnly.executeWithoutResult(
				(status) -> this.inbox.applyOnce("history", id, () -> recordEffect("history", id))))
			.isInstanceOf(IllegalTransactionStateException.class)
			.hasMessageContaining("read-only");
	}

	@Test
	void blankOrOverlongConsumerOrEventIdIsRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> transaction.executeWithoutResult((status) -> this.inbox.applyOnce(" ", "1", () -> {
			})))
			.withMessageContaining("consumer must be non-blank");
		assertThatIllegalArgumentException().isThrownBy(() -> transaction
			.executeWithoutResult((status) -> this.inbox.applyOnce("history", "x".repeat(256), () -> {
			}))).withMessageContaining("eventId must be non-blank and at most 255 characters");
	}

	@Test
	void aConcurrentDuplicateWaitsForTheFirstDeliveryAndSkipsOnceItCommits() throws Exception {
		String id = UUID.randomUUID().toString();
		CountDownLatch firstInserted = new CountDownLatch(1);
		CountDownLatch releaseFirst = new CountDownLatch(1);
		Future<Boolean> first = this.executor.submit(() -> transaction.execute((status) -> this.inbox
			.applyOnce("history", id, () -> {
				recordEffect("history", id);
				firstInserted.countDown();
				awaitLatch(releaseFirst);
			})));
		awaitLatch(firstInserted);

		Future<Boolean> second = this.executor.submit(() -> applyInTransaction("history", id));
		awaitOneSessionWaitingForALock();
		assertThat(second).isNotDone();
		releaseFirst.countDown();

		assertThat(first.get(30, TimeUnit.SECONDS)).isTrue();
		assertThat(second.get(30, TimeUnit.SECONDS)).isFalse();
		assertThat(effects("history", id)).isEqualTo(1);
	}

	@Test
	void aConcurrentDuplicateAppliesTheEventWhenTheFirstDeliveryRollsBack() throws Exception {
		String id = UUID.randomUUID().toString();
		CountDownLatch firstInserted = new CountDownLatch(1);
		CountDownLatch releaseFirst = new CountDownLatch(1);
		Future<?> first = this.executor.submit(() -> transaction.executeWithoutResult((status) -> this.inbox
			.applyOnce("history", id, () -> {
				recordEffect("history", id);
				firstInserted.countDown();
				awaitLatch(releaseFirst);
				throw new IllegalStateException("first delivery fails");
			})));
		awaitLatch(firstInserted);

		Future<Boolean> second = this.executor.submit(() -> applyInTransaction("history", id));
		awaitOneSessionWaitingForALock();
		releaseFirst.countDown();

		assertThatThrownBy(() -> first.get(30, TimeUnit.SECONDS)).hasRootCauseMessage("first delivery fails");
		assertThat(second.get(30, TimeUnit.SECONDS)).isTrue();
		assertThat(effects("history", id)).isEqualTo(1);
	}

	@Test
	void manyConcurrentDeliveriesOfOneEventApplyItOnce() throws Exception {
		int deliveries = 8;
		String id = UUID.randomUUID().toString();
		CyclicBarrier start = new CyclicBarrier(deliveries);
		List<Future<Boolean>> results = new ArrayList<>();
		for (int i = 0; i < deliveries; i++) {
			results.add(this.executor.submit(() -> {
				start.await(30, TimeUnit.SECONDS);
				return applyInTransaction("history", id);
			}));
		}

		List<Boolean> applied = new ArrayList<>();
		for (Future<Boolean> result : results) {
			applied.add(result.get(30, TimeUnit.SECONDS));
		}

		assertThat(applied).containsOnlyOnce(true).hasSize(deliveries);
		assertThat(effects("history", id)).isEqualTo(1);
		assertThat(count(MicrometerInboxMetrics.APPLIED, "history")).isEqualTo(1);
		assertThat(count(MicrometerInboxMetrics.DUPLICATES, "history")).isEqualTo(deliveries - 1);
	}

	private boolean applyInTransaction(String consumer, String id) {
		Boolean applied = transaction
			.execute((status) -> this.inbox.applyOnce(consumer, id, () -> recordEffect(consumer, id)));
		return Boolean.TRUE.equals(applied);
	}

	// Goes through the transaction's connection, as the consumer's own writes do.
	private static void recordEffect(String consumer, String id) {
		jdbcTemplate.update("INSERT INTO effect (consumer, event_id) VALUES (?, ?)", consumer, id);
	}

	private static long effects(String consumer, String id) {
		return jdbcTemplate.queryForObject("SELECT count(*) FROM effect WHERE consumer = ? AND event_id = ?",
				Long.class, consumer, id);
	}

	private static long inboxRows(String consumer, String id) {
		return jdbcTemplate.queryForObject("SELECT count(*) FROM inbox_event WHERE consumer = ? AND event_id = ?",
				Long.class, consumer, id);
	}

	private double count(String counter, String consumer) {
		Counter found = this.meterRegistry.find(counter).tag("consumer", consumer).counter();
		return (found != null) ? found.count() : 0;
	}

	private static void awaitOneSessionWaitingForALock() {
		await().atMost(Duration.ofSeconds(30))
			.until(() -> jdbcTemplate.queryForObject("SELECT count(*) FROM pg_stat_activity "
					+ "WHERE datname = current_database() AND wait_event_type = 'Lock'", Long.class) == 1);
	}

	private static void awaitLatch(CountDownLatch latch) {
		try {
			if (!latch.await(30, TimeUnit.SECONDS)) {
				throw new IllegalStateException("Timed out waiting for the other delivery");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
