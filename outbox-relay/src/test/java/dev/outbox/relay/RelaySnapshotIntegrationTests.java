package dev.outbox.relay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import dev.outbox.testsupport.KafkaBroker;
import dev.outbox.testsupport.KafkaTest;
import dev.outbox.testsupport.PostgresTest;
import dev.outbox.testsupport.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Writers that keep their outbox rows: on the relay's first start (no slot yet)
 * {@code outbox.relay.snapshot-mode=initial} publishes the rows already there, from the snapshot
 * exported at slot creation, then streams from the slot's consistent point, with no gap and no
 * double; the default {@code never} publishes only what is committed after the slot exists.
 */
@PostgresTest
@KafkaTest
@Tag("pg-versions")
class RelaySnapshotIntegrationTests {

	private RelayFixture fixture;

	/** A table of each test's own, since kept rows would otherwise leak into the next test. */
	private String table;

	@BeforeEach
	void setUp(TestDatabase database, KafkaBroker broker) {
		this.fixture = new RelayFixture(database, broker);
		this.table = "public." + database.uniqueName("kept_outbox");
		this.fixture.createOutboxTable(this.table);
	}

	@AfterEach
	void tearDown() {
		this.fixture.close();
	}

	@Test
	void initialSnapshotPublishesExistingRowsThenStreamsLaterCommitsEachExactlyOnce() throws Exception {
		List<String> committed = Collections.synchronizedList(new ArrayList<>());
		for (int i = 0; i < 20; i++) {
			committed.addAll(this.fixture.writeKeptRows(this.table, "snap", "agg-" + (i % 5), 10));
		}
		int existing = committed.size();
		// A writer keeps committing while the relay creates its slot, so that some transactions
		// land right around the snapshot's consistent point.
		AtomicBoolean writing = new AtomicBoolean(true);
		AtomicReference<Throwable> writerError = new AtomicReference<>();
		Thread writer = new Thread(() -> {
			int round = 0;
			while (writing.get()) {
				try {
					committed.addAll(this.fixture.writeKeptRows(this.table, "snap", "agg-" + (round++ % 5), 3));
				}
				catch (RuntimeException ex) {
					writerError.set(ex);
					return;
				}
			}
		}, "kept-rows-writer");
		writer.start();
		ConfigurableApplicationContext relay;
		try {
			relay = this.fixture.startRelayOverriding("outbox.relay.table=" + this.table,
					"outbox.relay.snapshot-mode=initial");
			await().atMost(Duration.ofSeconds(60)).until(() -> "true".equals(this.fixture.slotColumn("active")));
			int atStreaming = committed.size();
			await().atMost(Duration.ofSeconds(30)).until(() -> committed.size() > atStreaming + 100);
		}
		finally {
			writing.set(false);
			writer.join();
		}
		assertThat(writerError.get()).isNull();
		committed.addAll(this.fixture.writeKeptRows(this.table, "snap", "agg-last", 5));
		assertThat(committed.size()).isGreaterThan(existing + 100);
		assertThat(this.fixture.slotColumn("temporary")).as("the permanent slot").isEqualTo("false");
		assertThat(this.fixture.queryString("SELECT count(*) FROM pg_replication_slots WHERE slot_name = '"
				+ this.fixture.slot + "_snapshot'")).as("temporary snapshot slot left behind").isEqualTo("0");

		Map<String, Integer> deliveries = deliveries(new HashSet<>(committed));
		assertThat(deliveries.keySet()).as("published events").containsExactlyInAnyOrderElementsOf(committed);
		assertThat(deliveries).as("events published more than once").allSatisfy((id, count) -> assertThat(count).isOne());

		// A restart finds the slot: no second snapshot, and streaming resumes where it stopped.
		relay.close();
		this.fixture.startRelayOverriding("outbox.relay.table=" + this.table, "outbox.relay.snapshot-mode=initial");
		List<String> afterRestart = this.fixture.writeKeptRows(this.table, "snap", "agg-restart", 3);
		committed.addAll(afterRestart);
		Map<String, Integer> again = deliveries(new HashSet<>(committed));
		assertThat(again.keySet()).containsExactlyInAnyOrderElementsOf(committed);
		assertThat(again).as("events published more than once across the restart")
			.allSatisfy((id, count) -> assertThat(count).isOne());
	}

	@Test
	void defaultSnapshotModeNeverPublishesNoRowThatExistedBeforeTheSlot() {
		List<String> existing = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			existing.addAll(this.fixture.writeKeptRows(this.table, "snap", "agg-" + i, 10));
		}
		this.fixture.startRelayOverriding("outbox.relay.table=" + this.table);
		List<String> later = this.fixture.writeKeptRows(this.table, "snap", "agg-later", 5);
		Map<String, Integer> deliveries = deliveries(new HashSet<>(later));
		assertThat(deliveries.keySet()).containsExactlyInAnyOrderElementsOf(later).doesNotContainAnyElementsOf(existing);
	}

	/**
	 * Consumes the topic from the start until every expected id arrived, then for a few more polls
	 * (to catch late duplicates), and counts the records per id.
	 */
	private Map<String, Integer> deliveries(Set<String> expected) {
		List<ConsumerRecord<String, String>> records = new ArrayList<>();
		try (KafkaConsumer<String, String> consumer = this.fixture.consumer(this.fixture.topic("snap"))) {
			RelayFixture.pollUntil(consumer, records, (all) -> ids(all).containsAll(expected), Duration.ofSeconds(60));
			for (int i = 0; i < 4; i++) {
				consumer.poll(Duration.ofMillis(500)).forEach(records::add);
			}
		}
		Map<String, Integer> counts = new HashMap<>();
		for (ConsumerRecord<String, String> record : records) {
			counts.merge(RelayFixture.header(record, "id"), 1, Integer::sum);
		}
		return counts;
	}

	private static Set<String> ids(List<ConsumerRecord<String, String>> records) {
		Set<String> ids = new HashSet<>();
		records.forEach((record) -> ids.add(RelayFixture.header(record, "id")));
		return ids;
	}

}
