package dev.outbox.sample.order;

import java.util.List;
import java.util.UUID;

import dev.outbox.sample.OutboxWal;
import dev.outbox.sample.OutboxWal.Change;
import dev.outbox.sample.OutboxWal.OutboxInsert;
import dev.outbox.sample.SampleApi;
import dev.outbox.sample.SampleApi.Response;
import dev.outbox.sample.order.events.OrderCancelled;
import dev.outbox.sample.order.events.OrderPaid;
import dev.outbox.sample.order.events.OrderPlaced;
import dev.outbox.sample.order.events.OrderShipped;
import dev.outbox.starter.contract.EventTypeCatalog;
import dev.outbox.starter.contract.EventTypeDeclaration;
import dev.outbox.testsupport.PostgresTest;
import dev.outbox.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The order API against a real PostgreSQL: each accepted change commits its event to the outbox
 * in the same transaction (read back from the WAL, as the relay reads it), and each refused
 * request answers with a problem detail and writes no event.
 */
@PostgresTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "spring.kafka.listener.auto-startup=false")
class OrderLifecycleIntegrationTests {

	private static TestDatabase database;

	@LocalServerPort
	private int port;

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private EventTypeCatalog eventTypes;

	private SampleApi api;

	private OutboxWal wal;

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

	@BeforeEach
	void recordWal() {
		this.api = new SampleApi("http://localhost:" + this.port);
		this.wal = OutboxWal.record(database);
	}

	@AfterEach
	void dropSlot() throws Exception {
		this.wal.close();
	}

	@Test
	void everyOrderEventTypeIsDeclaredWithItsRecordAtStartup() {
		assertThat(this.eventTypes.declarations()).extracting(EventTypeDeclaration::eventType,
				EventTypeDeclaration::payloadType)
			.containsExactly(tuple(OrderCancelled.TYPE, OrderCancelled.class), tuple(OrderPaid.TYPE, OrderPaid.class),
					tuple(OrderPlaced.TYPE, OrderPlaced.class), tuple(OrderShipped.TYPE, OrderShipped.class));
	}

	@Test
	void placePayShipWritesEachEventInTheTransactionOfItsChange() {
		Response placed = this.api.place("customer-1", "BOOK-1", 2, "12.50");
		assertThat(placed.status()).isEqualTo(201);
		assertThat(placed.text("status")).isEqualTo("PLACED");
		assertThat(placed.body().get("total").decimalValue()).isEqualByComparingTo("25.00");
		UUID id = placed.id();
		assertThat(this.api.pay(id, "PAY-1").text("status")).isEqualTo("PAID");
		Response shipped = this.api.ship(id, "TRACK-1");
		assertThat(shipped.status()).isEqualTo(200);
		assertThat(shipped.text("status")).isEqualTo("SHIPPED");
		assertThat(shipped.text("trackingNumber")).isEqualTo("TRACK-1");

		List<Change> changes = this.wal.changes();
		assertThat(this.wal.events()).containsExactly(new OutboxInsert("order", id.toString(), "OrderPlaced.v1"),
				new OutboxInsert("order", id.toString(), "OrderPaid.v1"),
				new OutboxInsert("order", id.toString(), "OrderShipped.v1"));
		assertThat(changes).filteredOn(change -> change.event() != null)
			.allSatisfy(event -> assertThat(changes)
				.anySatisfy(business -> {
					assertThat(business.xid()).isEqualTo(event.xid());
					assertThat(business.table()).isEqualTo("public.orders");
				}));
		assertThat(this.jdbc.sql("SELECT count(*) FROM outbox_event").query(Long.class).single()).isZero();
	}

	@Test
	void cancelWritesOrderCancelled() {
		UUID id = this.api.place("customer-2", "PEN-7", 5, "2.50").id();
		Response cancelled = this.api.cancel(id, "changed my mind");
		assertThat(cancelled.status()).isEqualTo(200);
		assertThat(cancelled.text("status")).isEqualTo("CANCELLED");
		assertThat(cancelled.text("cancelReason")).isEqualTo("changed my mind");
		assertThat(this.wal.events()).extracting(OutboxInsert::eventType)
			.containsExactly("OrderPlaced.v1", "OrderCancelled.v1");
	}

	@Test
	void shippingACancelledOrderIsAConflictAndWritesNoEvent() {
		UUID id = this.api.place("customer-3", "BOOK-1", 1, "12.50").id();
		this.api.cancel(id, "out of stock");

		Response refused = this.api.ship(id, "TRACK-3");

		assertThat(refused.status()).isEqualTo(409);
		assertThat(refused.contentType()).isEqualTo("application/problem+json");
		assertThat(refused.text("title")).isEqualTo("Illegal order transition");
		assertThat(refused.text("status")).isEqualTo("409");
		assertThat(refused.text("orderId")).isEqualTo(id.toString());
		assertThat(refused.text("orderStatus")).isEqualTo("CANCELLED");
		assertThat(refused.text("action")).isEqualTo("shipped");
		assertThat(this.wal.events()).extracting(OutboxInsert::eventType)
			.containsExactly("OrderPlaced.v1", "OrderCancelled.v1");
		assertThat(this.api.get("/orders/" + id).text("status")).isEqualTo("CANCELLED");
	}

	@Test
	void payingTwiceIsAConflictAndWritesOneEvent() {
		UUID id = this.api.place("customer-4", "BOOK-1", 1, "12.50").id();
		assertThat(this.api.pay(id, "PAY-4").status()).isEqualTo(200);

		Response refused = this.api.pay(id, "PAY-4-again");

		assertThat(refused.status()).isEqualTo(409);
		assertThat(refused.text("action")).isEqualTo("paid");
		assertThat(this.wal.events()).extracting(OutboxInsert::eventType)
			.containsExactly("OrderPlaced.v1", "OrderPaid.v1");
	}

	@Test
	void invalidOrderIsAProblemDetailNamingEachFieldAndWritesNothing() {
		Response refused = this.api.post("/orders", """
				{"customerId":" ","currency":"euro","lines":[{"sku":"BOOK-1","quantity":0,"unitPrice":1.234}]}""");

		assertThat(refused.status()).isEqualTo(400);
		assertThat(refused.contentType()).isEqualTo("application/problem+json");
		assertThat(refused.text("title")).isEqualTo("Invalid request");
		assertThat(refused.body().get("errors").valueStream().map(error -> error.get("field").asString()))
			.containsExactly("currency", "customerId", "lines[0].quantity", "lines[0].unitPrice");
		assertThat(this.wal.changes()).isEmpty();
	}

	@Test
	void orderWithoutLinesIsAProblemDetail() {
		Response refused = this.api.post("/orders", "{\"customerId\":\"c\",\"currency\":\"EUR\",\"lines\":[]}");

		assertThat(refused.status()).isEqualTo(400);
		assertThat(refused.body().get("errors").get(0).get("field").asString()).isEqualTo("lines");
	}

	@Test
	void unreadableJsonIsAProblemDetail() {
		Response refused = this.api.post("/orders", "{\"customerId\":");

		assertThat(refused.status()).isEqualTo(400);
		assertThat(refused.contentType()).isEqualTo("application/problem+json");
	}

	@Test
	void unknownOrderIsANotFoundProblemDetail() {
		UUID unknown = UUID.randomUUID();

		Response missing = this.api.pay(unknown, "PAY-X");

		assertThat(missing.status()).isEqualTo(404);
		assertThat(missing.contentType()).isEqualTo("application/problem+json");
		assertThat(missing.text("orderId")).isEqualTo(unknown.toString());
		assertThat(this.wal.changes()).isEmpty();
	}

	@Test
	void malformedOrderIdIsABadRequestProblemDetail() {
		Response refused = this.api.get("/orders/not-a-uuid");

		assertThat(refused.status()).isEqualTo(400);
		assertThat(refused.contentType()).isEqualTo("application/problem+json");
	}

}
