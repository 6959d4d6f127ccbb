package dev.outbox.failuresuite.workload;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A downstream consumer of the suite and the lab, at least once on its side too: a plain
 * {@link KafkaConsumer} on a thread of its own, each poll's batch applied in one database
 * transaction, the offsets committed after it. A batch whose transaction fails (the database away)
 * is rewound and applied again after a short back-off; a broker away is polled again (the client
 * reconnects). What a batch did is recorded only once its transaction committed.
 */
public abstract class TransactionalBatchConsumer implements AutoCloseable {

	private final KafkaConsumer<String, String> consumer;

	private final TransactionTemplate transactions;

	private final Duration pollTimeout;

	private final Thread thread;

	private volatile boolean running = true;

	/**
	 * Subscribes; {@link #start()} starts consuming.
	 * @param bootstrapServers the broker
	 * @param topic the topic
	 * @param group the consumer group
	 * @param maxPollRecords the largest batch
	 * @param pollTimeout how long one poll waits
	 * @param transactions the application's transactions
	 * @param threadName the consuming thread's name
	 */
	protected TransactionalBatchConsumer(String bootstrapServers, String topic, String group, int maxPollRecords,
			Duration pollTimeout, TransactionTemplate transactions, String threadName) {
		this.consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
				ConsumerConfig.GROUP_ID_CONFIG, group, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
				ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords),
				new StringDeserializer(), new StringDeserializer());
		this.consumer.subscribe(List.of(topic));
		this.transactions = transactions;
		this.pollTimeout = pollTimeout;
		this.thread = new Thread(this::run, threadName);
		this.thread.setDaemon(true);
	}

	/** Starts the consuming thread; call once, at the end of the subclass's constructor. */
	protected final void start() {
		this.thread.start();
	}

	/**
	 * Applies one batch's effects, inside the batch's database transaction.
	 * @param records the batch
	 * @return what to record about the batch once its transaction committed (counts, ids)
	 */
	protected abstract Runnable applyInTransaction(ConsumerRecords<String, String> records);

	/** Called when a batch's transaction failed, before the batch is rewound. */
	protected void batchFailed() {
	}

	private void run() {
		try {
			while (this.running) {
				ConsumerRecords<String, String> records;
				try {
					records = this.consumer.poll(this.pollTimeout);
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
		Runnable committed;
		try {
			committed = this.transactions.execute((status) -> applyInTransaction(records));
		}
		catch (RuntimeException ex) {
			// Not applied, not recorded: rewind and apply the batch again once the database is back.
			batchFailed();
			for (TopicPartition partition : records.partitions()) {
				this.consumer.seek(partition, records.records(partition).get(0).offset());
			}
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200)); // back off
			return;
		}
		if (committed != null) {
			committed.run();
		}
		try {
			this.consumer.commitSync(Duration.ofSeconds(5));
		}
		catch (KafkaException ex) {
			// Uncommitted offsets mean a redelivery later, which an idempotent sink skips.
		}
	}

	/**
	 * @param record a delivered record
	 * @return its {@code id} header, the event's id
	 * @throws IllegalStateException for a record without one
	 */
	protected static String eventId(ConsumerRecord<String, String> record) {
		Header id = record.headers().lastHeader("id");
		if (id == null) {
			throw new IllegalStateException("Record without an id header at " + record.topic() + "-"
					+ record.partition() + "@" + record.offset());
		}
		return new String(id.value(), StandardCharsets.UTF_8);
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
