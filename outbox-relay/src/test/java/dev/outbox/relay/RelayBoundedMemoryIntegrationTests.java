package dev.outbox.relay;

import java.time.Duration;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.outbox.testsupport.JavaProcess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A relay with a 128 MB heap drains a backlog and a single huge transaction: memory does not grow
 * with the backlog or the transaction size. The backlog is 200,000 events in CI; the full size
 * of the issue runs with {@code -Doutbox.test.backlog=1000000}.
 */
class RelayBoundedMemoryIntegrationTests extends RelayIntegrationTestSupport {

	private static final int BACKLOG = Integer.getInteger("outbox.test.backlog", 200_000);

	private static final int HUGE_TRANSACTION = Integer.getInteger("outbox.test.huge-transaction", 200_000);

	private static final List<String> SMALL_HEAP = List.of("-Xmx128m", "-XX:+ExitOnOutOfMemoryError",
			"-XX:+UseSerialGC");


	@BeforeEach
	void setUp() {
		this.fixture.execute("""
				CREATE OR REPLACE PROCEDURE write_backlog(kind text, total int, per_transaction int)
				LANGUAGE plpgsql AS $$
				DECLARE
				  n int := 0;
				BEGIN
				  WHILE n < total LOOP
				    INSERT INTO outbox_event (id, aggregate_type, aggregate_id, event_type, payload)
				    SELECT gen_random_uuid(), kind, 'agg-' || (i % 1000), 'Seq', jsonb_build_object('n', i, 'pad', repeat('x', 300))
				    FROM generate_series(n, least(n + per_transaction, total) - 1) AS i;
				    DELETE FROM outbox_event;
				    COMMIT;
				    n := n + per_transaction;
				  END LOOP;
				END $$""");
	}

	@Test
	void smallHeapRelayDrainsABacklogAndOneHugeTransactionWithoutLossOrReordering() {
		JavaProcess relay = this.fixture.startRelayProcess("small-heap", SMALL_HEAP);
		this.fixture.awaitStreaming(relay);
		assertThat(relay.stop(Duration.ofSeconds(30))).isIn(0, 143);
		this.fixture.execute("CALL write_backlog('backlog', " + BACKLOG + ", 10)");
		this.fixture.execute("CALL write_backlog('huge', " + HUGE_TRANSACTION + ", " + HUGE_TRANSACTION + ")");
		relay.start();
		Sequence backlog = new Sequence();
		Sequence huge = new Sequence();
		try (KafkaConsumer<String, String> consumer = this.fixture.consumer(this.fixture.topic("backlog"),
				this.fixture.topic("huge"))) {
			await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(1)).until(() -> {
				assertThat(relay.isAlive()).as("relay with -Xmx128m alive: %s", relay.describe()).isTrue();
				for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
					(record.topic().endsWith(".huge") ? huge : backlog).accept(record);
				}
				return backlog.seen.cardinality() == BACKLOG && huge.seen.cardinality() == HUGE_TRANSACTION;
			});
		}
		assertThat(backlog.reordered).as("backlog events whose first occurrence follows a later event of their key")
			.isZero();
		assertThat(huge.reordered).as("huge-transaction events out of order").isZero();
		assertThat(relay.isAlive()).isTrue();
	}

	/**
	 * Tracks, per key, the payload numbers seen: they grow with commit order (and, inside one
	 * transaction, with insert order), so a first occurrence lower than an earlier first
	 * occurrence of the same key is a reordering.
	 */
	private static final class Sequence {

		final BitSet seen = new BitSet();

		final Map<String, Integer> lastFirst = new HashMap<>();

		int reordered;

		void accept(ConsumerRecord<String, String> record) {
			String value = record.value();
			int start = value.indexOf("\"n\": ") + 5;
			int end = start;
			while (Character.isDigit(value.charAt(end))) {
				end++;
			}
			int n = Integer.parseInt(value.substring(start, end));
			if (this.seen.get(n)) {
				return;
			}
			this.seen.set(n);
			Integer last = this.lastFirst.put(record.key(), n);
			if (last != null && last > n) {
				this.reordered++;
			}
		}

	}

}
