package dev.outbox.relay;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code message} write mode from the relay's side: a transactional
 * {@code pg_logical_emit_message} under {@code outbox:<table>} written by plain SQL becomes the
 * same Kafka record as the equivalent outbox row, in commit order with the rows, and nothing else
 * does.
 */
@Tag("pg-versions")
class RelayMessageModeIntegrationTests extends RelayIntegrationTestSupport {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	@Test
	void plainSqlMessageBecomesARecordWithTheDocumentedMappingStampedWithTheCommitTime() throws SQLException {
		this.fixture.startRelay();
		String id = UUID.randomUUID().toString();
		Instant beforeCommit;
		Instant afterCommit;
		try (Connection connection = this.fixture.database.connect(); Statement statement = connection.createStatement()) {
			connection.setAutoCommit(false);
			statement.execute("SELECT pg_sleep(0.3)"); // the commit comes well after the transaction's start
			statement.execute(MessageWrites.emit(true, MessageWrites.PREFIX, MessageWrites.content(id, "order",
					"order-42", "OrderPlaced", "{\"total\": 12.5, \"lines\": [\"ü\"]}",
					Map.of("traceparent", "00-abc-def-01", "tenant", "acme"))));
			beforeCommit = clock(statement);
			connection.commit();
			connection.setAutoCommit(true);
			afterCommit = clock(statement);
		}

		ConsumerRecord<String, String> record = awaitOne(this.fixture.topic("order"));
		this.fixture.assertOrderPlacedMapping(record, id);
		assertThat(record.value()).isEqualTo("{\"total\": 12.5, \"lines\": [\"ü\"]}");
		assertThat(record.timestamp()).isBetween(beforeCommit.toEpochMilli(), afterCommit.toEpochMilli());
	}

	@Test
	void messageAndTableRowOfTheSameEventGiveTheSameRecordButItsId() {
		this.fixture.startRelay();
		String rowId = UUID.randomUUID().toString();
		String messageId = UUID.randomUUID().toString();
		String payload = "{\"lines\": [{\"sku\": \"a\", \"qty\": 2}], \"total\": 12.5, \"note\": null}";
		this.fixture.execute("BEGIN; INSERT INTO outbox_event (id, aggregate_type, aggregate_id, event_type, payload, "
				+ "headers) VALUES ('" + rowId + "', 'same', 'agg-1', 'Placed', '" + payload + "', '{\"tenant\": \"acme\"}'); "
				+ "DELETE FROM outbox_event WHERE id = '" + rowId + "'; "
				+ MessageWrites.emit(true, MessageWrites.PREFIX,
						MessageWrites.content(messageId, "same", "agg-1", "Placed", payload, Map.of("tenant", "acme")))
				+ " COMMIT;");

		List<ConsumerRecord<String, String>> records = await(this.fixture.topic("same"), 2);
		ConsumerRecord<String, String> row = records.get(0);
		ConsumerRecord<String, String> message = records.get(1);
		assertThat(RelayFixture.header(row, "id")).isEqualTo(rowId);
		assertThat(RelayFixture.header(message, "id")).isEqualTo(messageId);
		assertThat(message.topic()).isEqualTo(row.topic());
		assertThat(message.key()).isEqualTo(row.key());
		assertThat(JsonMapper.shared().readTree(message.value())).isEqualTo(JsonMapper.shared().readTree(row.value()));
		for (String header : List.of("eventType", "aggregateType", "tenant")) {
			assertThat(RelayFixture.header(message, header)).as(header).isEqualTo(RelayFixture.header(row, header));
		}
		assertThat(message.headers().toArray()).hasSameSizeAs(row.headers().toArray());
	}

	@Test
	void byteaContentIsPublishedLikeText() {
		this.fixture.startRelay();
		String id = UUID.randomUUID().toString();
		String content = MessageWrites.content(id, "bytes", "agg-1", "E", "{\"ü\": 1}", Map.of());
		this.fixture.execute("SELECT pg_logical_emit_message(true, '" + MessageWrites.PREFIX + "', convert_to('"
				+ content + "', 'UTF8'))");

		ConsumerRecord<String, String> record = awaitOne(this.fixture.topic("bytes"));
		assertThat(RelayFixture.header(record, "id")).isEqualTo(id);
		assertThat(record.value()).isEqualTo("{\"ü\": 1}");
	}

	@Test
	void rolledBackMessagePublishesNothingAndOtherPrefixesAreIgnored() {
		this.fixture.startRelay();
		String rolledBack = UUID.randomUUID().toString();
		String otherPrefix = UUID.randomUUID().toString();
		String committed = UUID.randomUUID().toString();
		this.fixture.execute("BEGIN; " + MessageWrites.emit(rolledBack, "undo", "agg-1", 1) + " ROLLBACK;");
		this.fixture.execute(MessageWrites.emit(true, "outbox:public.outbox_event_other",
				MessageWrites.content(otherPrefix, "undo", "agg-1", "E", "{}", Map.of())));
		this.fixture.execute(MessageWrites.emit(true, "outbox:public.outbox_even",
				MessageWrites.content(otherPrefix, "undo", "agg-1", "E", "{}", Map.of())));
		this.fixture.execute(MessageWrites.emit(committed, "undo", "agg-1", 2));

		List<ConsumerRecord<String, String>> records = await(this.fixture.topic("undo"), 1);
		assertThat(records).extracting((record) -> RelayFixture.header(record, "id")).containsExactly(committed);
	}

	@Test
	void twoOutboxesInOneDatabaseEachPublishOnlyTheirOwnMessages() {
		RelayFixture second = new RelayFixture(this.fixture.database, this.fixture.broker)
			.createOutboxTable("public.second_outbox");
		try {
			this.fixture.startRelay();
			second.startRelay("outbox.relay.table=public.second_outbox");
			String secondPrefix = "outbox:public.second_outbox";
			List<String> first = ids(3);
			List<String> other = ids(3);
			this.fixture.execute(MessageWrites.emit(first.get(0), "order", "agg-1", 1));
			this.fixture.execute(emit(secondPrefix, other.get(0), 1));
			this.fixture.execute("BEGIN; " + MessageWrites.emit(first.get(1), "order", "agg-1", 2)
					+ emit(secondPrefix, other.get(1), 2) + " COMMIT;");
			this.fixture.execute(emit("outbox:public.third_outbox", UUID.randomUUID().toString(), 3));
			this.fixture.execute("BEGIN; " + emit(secondPrefix, other.get(2), 3)
					+ MessageWrites.emit(first.get(2), "order", "agg-1", 3) + " COMMIT;");

			// Each relay's last event comes after every other message in commit order.
			assertThat(idsOf(await(this.fixture.topic("order"), 3))).containsExactlyElementsOf(first);
			assertThat(idsOf(second.awaitRecords(second.topic("order"), 3))).containsExactlyElementsOf(other);
		}
		finally {
			second.close();
		}
	}

	@Test
	void rowsAndMessagesOfTheSameAggregatesKeepCommitOrderAcrossAndWithinTransactions() {
		this.fixture.startRelay();
		Map<String, List<String>> expected = new LinkedHashMap<>();
		int n = 0;
		for (int transaction = 0; transaction < 30; transaction++) {
			StringBuilder sql = new StringBuilder("BEGIN; ");
			for (int event = 0; event < 1 + transaction % 4; event++) {
				String aggregate = "agg-" + ((transaction + event) % 3);
				String id = UUID.randomUUID().toString();
				boolean asMessage = (transaction + event * 7) % 3 != 0;
				sql.append(asMessage ? MessageWrites.emit(id, "mixed", aggregate, n)
						: MessageWrites.insertAndDelete(id, "mixed", aggregate, n));
				expected.computeIfAbsent(aggregate, (key) -> new ArrayList<>()).add(id);
				n++;
			}
			this.fixture.execute(sql.append(" COMMIT;").toString());
		}

		List<ConsumerRecord<String, String>> records = await(this.fixture.topic("mixed"), n);
		Map<String, List<String>> published = new LinkedHashMap<>();
		for (ConsumerRecord<String, String> record : records) {
			published.computeIfAbsent(record.key(), (key) -> new ArrayList<>()).add(RelayFixture.header(record, "id"));
		}
		assertThat(published).isEqualTo(expected);
	}

	private static String emit(String prefix, String id, int n) {
		return MessageWrites.emit(true, prefix, MessageWrites.content(id, "order", "agg-1", "Seq", "{\"n\": " + n + "}",
				Map.of()));
	}

	private static List<String> ids(int count) {
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			ids.add(UUID.randomUUID().toString());
		}
		return ids;
	}

	private static List<String> idsOf(List<ConsumerRecord<String, String>> records) {
		return records.stream().map((record) -> RelayFixture.header(record, "id")).toList();
	}

	private static Instant clock(Statement statement) throws SQLException {
		try (ResultSet row = statement.executeQuery("SELECT clock_timestamp()")) {
			row.next();
			Timestamp timestamp = row.getTimestamp(1);
			return timestamp.toInstant();
		}
	}

	private ConsumerRecord<String, String> awaitOne(String topic) {
		List<ConsumerRecord<String, String>> records = await(topic, 1);
		assertThat(records).hasSize(1);
		return records.get(0);
	}

	private List<ConsumerRecord<String, String>> await(String topic, int count) {
		return this.fixture.awaitRecords(topic, count);
	}

}
