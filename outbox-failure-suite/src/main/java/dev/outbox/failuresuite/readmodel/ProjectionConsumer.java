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
 * The item workloads' consumer: applies each change to the workload's {@link ItemSink} (the
 * read model's projection, the search index, the audit log), one database transaction per poll,
 * offsets committed after it. With the inbox (sink {@code idempotent}, for a sink that is not
 * idempotent by itself) each event id is applied once; a batch that fails is rewound and applied
 * again. It counts, after commit, how often it applied each event: more than once is a duplicated
 * effect (the lab's {@code sink naive} under a redelivery).
 */
public final class ProjectionConsumer extends TransactionalBatchConsumer {

	private static final String CONSUMER = "read-model";

	private final JdbcTemplate jdbc;

	private final ItemSink sink;

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
	 * @param sink where each change goes
	 * @param inbox the inbox in front of the sink, or {@code null} to hand it every delivery
	 */
	ProjectionConsumer(String bootstrapServers, String topic, TransactionTemplate transactions, JdbcTemplate jdbc,
			ItemSink sink, @Nullable Inbox inbox) {
		super(bootstrapServers, topic, topic + "-projection", 1000, Duration.ofMillis(100), transactions,
				"read-model-projection");
		this.jdbc = jdbc;
		this.sink = sink;
		this.inbox = inbox;
		start();
	}

	@Override
	protected Runnable applyInTransaction(ConsumerRecords<String, String> records) {
		long skippedNow = 0;
		List<String> applied = new ArrayList<>();
		for (ConsumerRecord<String, String> record : records) {
			ItemChange change = ItemChange.parse(record.value());
			Inbox inbox = this.inbox;
			boolean changed = (inbox == null) ? this.sink.apply(this.jdbc, change)
					: inbox.applyOnce(CONSUMER, eventId(record), () -> this.sink.apply(this.jdbc, change));
			if (changed) {
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

	/** @return deliveries the inbox or the sink's own check skipped as already applied */
	public long redeliveriesSkipped() {
		return this.skipped.get();
	}

}
