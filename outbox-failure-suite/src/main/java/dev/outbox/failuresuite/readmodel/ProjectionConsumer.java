package dev.outbox.failuresuite.readmodel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import dev.outbox.failuresuite.workload.TransactionalBatchConsumer;
import dev.outbox.starter.inbox.Inbox;

/**
 * The read model's consumer: applies each change to {@code rm_projection} (an upsert writes the
 * item's state as delivered, a delete removes it), one database transaction per poll, offsets
 * committed after it. With the inbox (sink {@code idempotent}) each event id is applied once; a
 * batch that fails is rewound and applied again. It counts, after commit, how often it applied each
 * event: more than once is a duplicated effect (the lab's {@code sink naive} under a redelivery).
 */
public final class ProjectionConsumer extends TransactionalBatchConsumer {

	private static final String CONSUMER = "read-model";

	private final JdbcTemplate jdbc;

	private final @Nullable Inbox inbox;

	private final Map<TopicPartition, Long> applied = new ConcurrentHashMap<>();

	private final AtomicLong skipped = new AtomicLong();

	/** Per event id, how many times its change was applied (after commit). */
	private final Map<String, Integer> applications = new ConcurrentHashMap<>();

	/**
	 * Subscribes and starts consuming.
	 * @param bootstrapServers the broker
	 * @param topic the topic
	 * @param transactions the application's transactions
	 * @param jdbc its database
	 * @param inbox the inbox (sink {@code idempotent}), or {@code null} to apply every delivery
	 */
	public ProjectionConsumer(String bootstrapServers, String topic, TransactionTemplate transactions, JdbcTemplate jdbc,
			@Nullable Inbox inbox) {
		super(bootstrapServers, topic, topic + "-projection", 1000, Duration.ofMillis(100), transactions,
				"read-model-projection");
		this.jdbc = jdbc;
		this.inbox = inbox;
		start();
	}

	@Override
	protected Runnable applyInTransaction(ConsumerRecords<String, String> records) {
		long skippedNow = 0;
		List<String> applied = new ArrayList<>();
		for (ConsumerRecord<String, String> record : records) {
			ItemChange change = ItemChange.parse(record.value());
			Inbox once = this.inbox;
			if (once == null) {
				project(change);
				applied.add(eventId(record));
			}
			else if (once.applyOnce(CONSUMER, eventId(record), () -> project(change))) {
				applied.add(eventId(record));
			}
			else {
				skippedNow++;
			}
		}
		long skippedInBatch = skippedNow;
		return () -> {
			this.skipped.addAndGet(skippedInBatch);
			applied.forEach((id) -> this.applications.merge(id, 1, Integer::sum));
			for (TopicPartition partition : records.partitions()) {
				List<ConsumerRecord<String, String>> inPartition = records.records(partition);
				this.applied.put(partition, inPartition.get(inPartition.size() - 1).offset() + 1);
			}
		};
	}

	private void project(ItemChange change) {
		if (change.deletes()) {
			this.jdbc.update("DELETE FROM rm_projection WHERE id = ?", change.id());
			return;
		}
		this.jdbc.update("INSERT INTO rm_projection (id, version, value, updated_at) VALUES (?, ?, ?, ?) "
				+ "ON CONFLICT (id) DO UPDATE SET version = excluded.version, value = excluded.value, "
				+ "updated_at = excluded.updated_at", change.id(), change.version(), change.value(),
				ItemChange.timestamp(change.updatedAtMicros()));
	}

	/**
	 * @param end per partition, an offset
	 * @return whether every partition is applied up to its offset
	 */
	public boolean appliedUpTo(Map<TopicPartition, Long> end) {
		return end.entrySet().stream().allMatch((e) -> e.getValue() == 0 || this.applied.getOrDefault(e.getKey(), 0L) >= e.getValue());
	}

	/**
	 * @return applications beyond one per event: redeliveries applied again (a projection's upsert
	 * hides them in its rows; an effect that is not idempotent, a notification or a counter, would not)
	 */
	public long effectsAppliedMoreThanOnce() {
		return this.applications.values().stream().mapToLong((times) -> times - 1L).sum();
	}

	/** @return deliveries the inbox skipped as redeliveries */
	public long redeliveriesSkipped() {
		return this.skipped.get();
	}

}
