package dev.outbox.test;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.outbox.test.TestKitApplication.OrderPlaced;
import dev.outbox.test.TestKitApplication.Orders;
import dev.outbox.testsupport.PostgresTest;
import dev.outbox.testsupport.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * On PostgreSQL the test kit only watches: the starter's real write path runs (the rows are in
 * the outbox table, kept in {@code retain} mode to be counted) and the same events are captured.
 */
@PostgresTest
@SpringBootTest(classes = TestKitApplication.class, properties = "outbox.write-mode=retain")
@AutoConfigureOutboxTestKit
class OutboxTestKitOnPostgreSqlIntegrationTests {

	private static TestDatabase database;

	@Autowired
	private Orders orders;

	@Autowired
	private CapturedOutboxEvents events;

	@Autowired
	private JdbcTemplate jdbc;

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
	void realWritePathRunsAndTheSameEventsAreCaptured() {
		this.orders.place("p-1", "c-7");
		assertThatIllegalStateException().isThrownBy(() -> this.orders.placeAndFail("p-2"));

		assertThat(this.events).contains("OrderPlaced")
			.forAggregate("order", "p-1")
			.matching(OrderPlaced.class, OrderPlaced::customerId, "c-7")
			.hasSize(1);
		assertThat(this.events.forAggregate("order", "p-2").isEmpty()).isTrue();
		assertThat(this.jdbc.queryForList("SELECT aggregate_id FROM outbox_event", String.class))
			.containsExactly("p-1");
		assertThat(this.jdbc.queryForObject("SELECT id FROM outbox_event", java.util.UUID.class))
			.isEqualTo(this.events.all().get(0).id());
	}

}
