package dev.outbox.starter;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.outbox.starter.LogicalSlot.Change;
import dev.outbox.starter.retain.OutboxPurge;
import dev.outbox.testsupport.PostgresTest;
import dev.outbox.testsupport.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * {@code outbox.write-mode=retain}: the same API inserts the row in the business transaction
 * and keeps it, and the purge's index is built at startup.
 */
@PostgresTest
class RetainWriteModeIntegrationTests {

	private static final AtomicLong ids = new AtomicLong();

	private static ConfigurableApplicationContext context;

	private static LogicalSlot slot;

	private static OrderService orders;

	private static JdbcTemplate jdbcTemplate;

	@BeforeAll
	static void start(TestDatabase database) throws SQLException {
		context = TestApplications.start(database, TestApplications.JdbcApplication.class, "outbox.write-mode=retain");
		slot = LogicalSlot.create(database);
		orders = context.getBean(OrderService.class);
		jdbcTemplate = context.getBean(JdbcTemplate.class);
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
	void commitKeepsTheRowAndTheWalHoldsItsInsertInTheBusinessTransactionWithNoDelete() throws SQLException {
		long id = ids.incrementAndGet();
		orders.place(id, "ada", new BigDecimal("12.50"));

		List<Change> changes = slot.take();
		assertThat(changes).extracting(Change::summary)
			.containsExactly("BEGIN", "INSERT public.orders", "INSERT public.outbox_event", "COMMIT");
		assertThat(changes).extracting(Change::xid).containsOnly(changes.get(0).xid());
		assertThat(jdbcTemplate.queryForList("SELECT id::text FROM outbox_event WHERE aggregate_id = ?", String.class,
				String.valueOf(id)))
			.containsExactly(changes.get(2).column("id"));
	}

	@Test
	void startupBuildsTheCreatedAtIndexThePurgeUses() {
		assertThat(context.getBean(OutboxPurge.class).isRunning()).isTrue();
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(jdbcTemplate.queryForObject("SELECT (SELECT indisvalid FROM pg_index "
					+ "WHERE indexrelid = to_regclass('public.outbox_event_created_at'))", Boolean.class))
				.isTrue());
	}

	@Test
	void rollbackLeavesNoRow() throws SQLException {
		long id = ids.incrementAndGet();
		assertThatIllegalStateException().isThrownBy(() -> orders.placeAndFail(id, "ada", BigDecimal.ONE))
			.withMessage("payment declined");

		assertThat(slot.take()).isEmpty();
		assertThat(jdbcTemplate.queryForObject("SELECT count(*) FROM outbox_event WHERE aggregate_id = ?", Long.class,
				String.valueOf(id)))
			.isZero();
	}

}
