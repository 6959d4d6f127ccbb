package dev.outbox.failuresuite.workload;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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
 * <p>
 * The lab's {@code sink naive} is the same consumer with {@link #NAIVE} in the inbox's place: it
 * applies every delivery, redeliveries included. Either way the consumer also keeps, for the run's
 * bookkeeping only, which distinct events it has applied ({@link #distinctApplied()}), since a naive
 * sink's counters say how often, not what.
 */
public final class InboxConsumer implements AutoCloseable {

	/** The consumer name the inbox records ids under. */
	public static final String CONSUMER = "failure-suite";

	private final KafkaConsumer<String, String> consumer;

	private final TransactionTemplate transactions;

	private final JdbcTemplate jdbc;

	private final Applier applier;

	private final Map<String, Set<String>> distinct = new ConcurrentHashMap<>();

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
	 * @param applier how each delivery's effect is applied: {@link #throughInbox} or {@link #NAIVE}
	 */
	public InboxConsumer(String bootstrapServers, String topic, String group, TransactionTemplate transactions,
			JdbcTemplate jdbc, Applier applier) {
		this.consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
				ConsumerConfig.GROUP_ID_CONFIG, group, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
				ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000),
				new StringDeserializer(), new StringDeserializer());
		this.consumer.subscribe(List.of(topic));
		this.transactions = transactions;
		this.jdbc = jdbc;
		this.applier = applier;
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
					boolean ran = this.applier.apply(eventId(record), () -> this.jdbc
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
		for (ConsumerRecord<String, String> record : records) {
			this.distinct.computeIfAbsent(record.key(), (key) -> ConcurrentHashMap.newKeySet()).add(eventId(record));
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

	/** @return per aggregate, how many distinct events the consumer has applied (after commit) */
	public Map<String, Long> distinctApplied() {
		Map<String, Long> counts = new TreeMap<>();
		this.distinct.forEach((key, ids) -> counts.put(key, (long) ids.size()));
		return counts;
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

	/**
	 * The sink as shipped: the inbox applies each event id once.
	 * @param inbox the starter's inbox
	 * @return an applier through it
	 */
	public static Applier throughInbox(Inbox inbox) {
		return (eventId, effect) -> inbox.applyOnce(CONSUMER, eventId, effect);
	}

	/** The lab's {@code sink naive}: every delivery applied, none skipped. */
	public static final Applier NAIVE = (eventId, effect) -> {
		effect.run();
		return true;
	};

	/** How one delivery's effect is applied, inside the poll's transaction. */
	@FunctionalInterface
	public interface Applier {

		/**
		 * @param eventId the delivered event's id
		 * @param effect its effect
		 * @return whether the effect ran ({@code false}: skipped as a duplicate)
		 */
		boolean apply(String eventId, Runnable effect);

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
