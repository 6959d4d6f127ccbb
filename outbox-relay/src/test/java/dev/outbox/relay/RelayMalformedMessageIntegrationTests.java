package dev.outbox.relay;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Bad input in {@code message} write mode: a message under the outbox prefix that is not an event
 * goes to the dead-letter topic when one is set and the stream goes on, and otherwise stops the
 * relay naming its LSN and what is wrong, confirming nothing past it; and the relay warns at start
 * while any role may emit such messages.
 */
@ExtendWith(OutputCaptureExtension.class)
class RelayMalformedMessageIntegrationTests extends RelayIntegrationTestSupport {

	@Test
	void malformedAndNonTransactionalMessagesGoToTheDeadLetterTopicAndLaterEventsFlow() throws Exception {
		String deadLetters = this.fixture.createDeadLetterTopic();
		ConfigurableApplicationContext relay = this.fixture
			.startRelayOverriding("outbox.relay.dead-letter-topic=" + deadLetters);
		HealthIndicator health = relay.getBean("outboxRelay", HealthIndicator.class);
		String before = UUID.randomUUID().toString();
		String after = UUID.randomUUID().toString();
		String row = UUID.randomUUID().toString();
		String missingType = "{\"id\": \"x\", \"aggregate_type\": \"bad\", \"aggregate_id\": \"agg-1\", \"payload\": {}}";
		String nonTransactional = MessageWrites.content(UUID.randomUUID().toString(), "bad", "agg-1", "E", "{}",
				Map.of());
		this.fixture.execute(MessageWrites.emit(before, "bad", "agg-1", 1));
		this.fixture.execute(MessageWrites.emit(true, MessageWrites.PREFIX, missingType));
		this.fixture.execute(MessageWrites.emit(false, MessageWrites.PREFIX, nonTransactional));
		this.fixture.execute("BEGIN; " + MessageWrites.emit(after, "bad", "agg-1", 2)
				+ MessageWrites.insertAndDelete(row, "bad", "agg-1", 3) + " COMMIT;");
		String afterWrites = this.fixture.queryString("SELECT pg_current_wal_lsn()::text");

		List<ConsumerRecord<String, String>> dead = this.fixture.awaitRecords(deadLetters, 2);
		assertThat(dead).extracting(ConsumerRecord::value).containsExactly(missingType, nonTransactional);
		assertThat(RelayFixture.header(dead.get(0), "dlq.error")).contains("required field event_type is missing")
			.contains("Message under prefix " + MessageWrites.PREFIX + " at LSN ");
		assertThat(RelayFixture.header(dead.get(1), "dlq.error")).contains("transactional = false");
		List<ConsumerRecord<String, String>> published = this.fixture.awaitRecords(this.fixture.topic("bad"), 3);
		assertThat(published).extracting((record) -> RelayFixture.header(record, "id"))
			.containsExactly(before, after, row);
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			assertThat(health.health(true).getStatus()).isEqualTo(Status.UP);
			assertThat(this.fixture.lsnBefore(this.fixture.slotColumn("confirmed_flush_lsn"), afterWrites)).isFalse();
		});
	}

	@Test
	void malformedMessageWithoutADeadLetterTopicStopsTheRelayNamingItsLsnAndTheProblem() {
		ConfigurableApplicationContext relay = this.fixture.startRelay();
		HealthIndicator health = relay.getBean("outboxRelay", HealthIndicator.class);
		String lsn = this.fixture.queryString("SELECT pg_logical_emit_message(true, '" + MessageWrites.PREFIX
				+ "', '{\"id\": \"x\", \"headers\": [1]}')::text");

		assertStoppedAt(health, lsn, "field headers must be a JSON object");
	}

	@Test
	void nonTransactionalMessageUnderThePrefixStopsTheRelayWithoutADeadLetterTopic() {
		ConfigurableApplicationContext relay = this.fixture.startRelay();
		HealthIndicator health = relay.getBean("outboxRelay", HealthIndicator.class);
		String lsn = this.fixture.queryString("SELECT pg_logical_emit_message(false, '" + MessageWrites.PREFIX + "', '"
				+ MessageWrites.content(UUID.randomUUID().toString(), "nt", "agg-1", "E", "{}", Map.of()) + "')::text");

		assertStoppedAt(health, lsn, "was emitted with transactional = false");
	}

	@Test
	void relayWarnsAtStartWhilePublicMayEmitMessagesNamingTheFunctionThePrefixAndTheStatements(
			CapturedOutput output) {
		this.fixture.startRelay();

		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(output.getAll())
			.contains("pg_catalog.pg_logical_emit_message is executable by PUBLIC")
			.contains("prefix '" + MessageWrites.PREFIX + "'")
			.contains("REVOKE EXECUTE ON FUNCTION pg_catalog.pg_logical_emit_message(boolean, text, text")
			.contains("REVOKE EXECUTE ON FUNCTION pg_catalog.pg_logical_emit_message(boolean, text, bytea")
			.contains("GRANT EXECUTE ON FUNCTION pg_catalog.pg_logical_emit_message(boolean, text, text")
			.contains(" TO <writing role>;"));
	}

	@Test
	void relayDoesNotWarnOnceTheFunctionIsRevokedFromPublic(CapturedOutput output) {
		this.fixture.execute("DO $$ DECLARE f regprocedure; BEGIN FOR f IN SELECT oid::regprocedure FROM pg_proc "
				+ "WHERE proname = 'pg_logical_emit_message' LOOP EXECUTE 'REVOKE EXECUTE ON FUNCTION ' || f "
				+ "|| ' FROM PUBLIC'; END LOOP; END $$");
		ConfigurableApplicationContext relay = this.fixture.startRelay();
		HealthIndicator health = relay.getBean("outboxRelay", HealthIndicator.class);

		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(health.health(true).getDetails()).containsEntry("state", "streaming"));
		assertThat(output.getAll()).contains("Streaming slot " + this.fixture.slot)
			.doesNotContain("pg_logical_emit_message is executable by PUBLIC");
	}

	private void assertStoppedAt(HealthIndicator health, String lsn, String problem) {
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			Map<String, Object> details = health.health(true).getDetails();
			assertThat(health.health(true).getStatus()).isEqualTo(Status.DOWN);
			assertThat(details).containsEntry("state", "failed").containsEntry("failedLsn", lsn);
			assertThat(String.valueOf(details.get("message"))).contains("LSN " + lsn)
				.contains(problem)
				.contains("outbox.relay.dead-letter-topic");
		});
		// Nothing past the message is confirmed: a restart after the fix reads it again.
		await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
			.until(() -> !this.fixture.lsnBefore(lsn, this.fixture.slotColumn("confirmed_flush_lsn")));
	}

}
