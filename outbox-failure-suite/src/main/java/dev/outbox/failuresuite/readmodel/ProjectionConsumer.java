package dev.outbox.failuresuite.readmodel;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import dev.outbox.starter.inbox.Inbox;

/**
 * The read model's consumer: applies each change to {@code rm_projection} (an upsert writes the
 * item's state as delivered, a delete removes it), one database transaction per poll, offsets
 * committed after it. With the inbox (sink {@code idempotent}) each event id is applied once; a
 * batch that fails is rewound and applied again.
 */
public final class ProjectionConsumer implements AutoCloseable {

	private static final String CONSUMER = "read-model";

	private final KafkaConsumer<String, String> consumer;

	private final TransactionTemplate transactions;

	private final JdbcTemplate jdbc;

	private final @Nullable Inbox inbox;

	private final Thread thread;

	private final Map<TopicPartition, Long> applied = new ConcurrentHashMap<>();

	private final AtomicLong skipped = new AtomicLong();

	private volatile boolean running = true;

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
		this.consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
				ConsumerConfig.GROUP_ID_CONFIG, topic + "-projection", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
				ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000),
				new StringDeserializer(), new StringDeserializer());
		this.consumer.subscribe(List.of(topic));
		this.transactions = transactions;
		this.jdbc = jdbc;
		this.inbox = inbox;
		this.thread = new Thread(this::run, "read-model-projection");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	private void run() {
		try {
			while (this.running) {
				ConsumerRecords<String, String> records;
				try {
					records = this.consumer.poll(Duration.ofMillis(100));
				}
				catch (WakeupException ex) {
					return;
				}
				catch (KafkaException ex) {
					continue;
				}
				if (!records.isEmpty()) {
					apply(records);
				}
			}
		}
		finally {
			this.consumer.close(Duration.ofSeconds(5));
		}
	}

	private void apply(ConsumerRecords<String, String> records) {
		long[] skippedNow = new long[1];
		try {
			this.transactions.executeWithoutResult((status) -> {
				for (ConsumerRecord<String, String> record : records) {
					ItemChange change = ItemChange.parse(record.value());
					Inbox once = this.inbox;
					if (once == null) {
						project(change);
					}
					else if (!once.applyOnce(CONSUMER, eventId(record), () -> project(change))) {
						skippedNow[0]++;
					}
				}
			});
		}
		catch (RuntimeException ex) {
			for (TopicPartition partition : records.partitions()) {
				this.consumer.seek(partition, records.records(partition).get(0).offset());
			}
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
			return;
		}
		this.skipped.addAndGet(skippedNow[0]);
		for (TopicPartition partition : records.partitions()) {
			List<ConsumerRecord<String, String>> inPartition = records.records(partition);
			this.applied.put(partition, inPartition.get(inPartition.size() - 1).offset() + 1);
		}
		try {
			this.consumer.commitSync(Duration.ofSeconds(5));
		}
		catch (KafkaException ex) {
			// a redelivery later
		}
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

	private static String eventId(ConsumerRecord<String, String> record) {
		Header id = record.headers().lastHeader("id");
		if (id == null) {
			throw new IllegalStateException("Record without an id header at " + record.topic() + "-" + record.partition()
					+ "@" + record.offset());
		}
		return new String(id.value(), StandardCharsets.UTF_8);
	}

	/**
	 * @param end per partition, an offset
	 * @return whether every partition is applied up to its offset
	 */
	public boolean appliedUpTo(Map<TopicPartition, Long> end) {
		return end.entrySet().stream().allMatch((e) -> e.getValue() == 0 || this.applied.getOrDefault(e.getKey(), 0L) >= e.getValue());
	}

	/** @return deliveries the inbox skipped as redeliveries */
	public long redeliveriesSkipped() {
		return this.skipped.get();
	}

	@Override
	public void close() {
		this.running = false;
		this.consumer.wakeup();
		try {
			this.thread.join(TimeUnit.SECONDS.toMillis(30));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
