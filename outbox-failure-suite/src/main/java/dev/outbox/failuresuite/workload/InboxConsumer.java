package dev.outbox.failuresuite.workload;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import dev.outbox.starter.inbox.Inbox;

/**
 * The downstream service: a plain {@link KafkaConsumer} that applies each record through
 * {@link Inbox#applyOnce} in one database transaction per poll, its effect a counter increment
 * per aggregate ({@code fs_counter}), which is not idempotent by itself.
 * <p>
 * At least once on its side too: offsets are committed after the transaction, and a transaction
 * that fails (the database away) rewinds the batch to be applied again. The inbox turns every
 * redelivery, of the relay's or of its own, into a skipped duplicate, counted here after commit.
 */
public final class InboxConsumer implements AutoCloseable {

	/** The consumer name the inbox records ids under. */
	public static final String CONSUMER = "failure-suite";

	private final KafkaConsumer<String, String> consumer;

	private final TransactionTemplate transactions;

	private final JdbcTemplate jdbc;

	private final Inbox inbox;

	private final Thread thread;

	private final AtomicLong applied = new AtomicLong();

	private final AtomicLong skipped = new AtomicLong();

	private final AtomicLong failedBatches = new AtomicLong();

	private volatile boolean running = true;

	/**
	 * Subscribes and starts consuming.
	 * @param bootstrapServers the broker, directly
	 * @param topic the topic
	 * @param group the consumer group
	 * @param transactions the application's transactions
	 * @param jdbc its database
	 * @param inbox the starter's inbox
	 */
	public InboxConsumer(String bootstrapServers, String topic, String group, TransactionTemplate transactions,
			JdbcTemplate jdbc, Inbox inbox) {
		this.consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
				ConsumerConfig.GROUP_ID_CONFIG, group, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
				ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000),
				new StringDeserializer(), new StringDeserializer());
		this.consumer.subscribe(List.of(topic));
		this.transactions = transactions;
		this.jdbc = jdbc;
		this.inbox = inbox;
		this.thread = new Thread(this::run, "workload-inbox-consumer");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	private void run() {
		try {
			while (this.running) {
				ConsumerRecords<String, String> records;
				try {
					records = this.consumer.poll(Duration.ofMillis(200));
				}
				catch (WakeupException ex) {
					return;
				}
				catch (KafkaException ex) {
					continue; // the broker away: poll again, the client reconnects
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
		long[] counts = new long[2];
		try {
			this.transactions.executeWithoutResult((status) -> {
				for (ConsumerRecord<String, String> record : records) {
					boolean ran = this.inbox.applyOnce(CONSUMER, eventId(record), () -> this.jdbc
						.update("UPDATE fs_counter SET applied = applied + 1 WHERE aggregate_id = ?", record.key()));
					counts[ran ? 0 : 1]++;
				}
			});
		}
		catch (RuntimeException ex) {
			// Not applied, not recorded: rewind and apply the batch again once the database is back.
			this.failedBatches.incrementAndGet();
			for (TopicPartition partition : records.partitions()) {
				this.consumer.seek(partition, records.records(partition).get(0).offset());
			}
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200)); // back off
			return;
		}
		this.applied.addAndGet(counts[0]);
		this.skipped.addAndGet(counts[1]);
		try {
			this.consumer.commitSync(Duration.ofSeconds(5));
		}
		catch (KafkaException ex) {
			// Uncommitted offsets mean a redelivery later, which the inbox skips.
		}
	}

	private static String eventId(ConsumerRecord<String, String> record) {
		Header id = record.headers().lastHeader("id");
		if (id == null) {
			throw new IllegalStateException("Record without an id header at " + record.topic() + "-"
					+ record.partition() + "@" + record.offset());
		}
		return new String(id.value(), StandardCharsets.UTF_8);
	}

	/** @return events the inbox applied (after commit) */
	public long applied() {
		return this.applied.get();
	}

	/** @return deliveries the inbox skipped as duplicates (after commit) */
	public long duplicatesSkipped() {
		return this.skipped.get();
	}

	/** @return poll batches rolled back and applied again */
	public long failedBatches() {
		return this.failedBatches.get();
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
