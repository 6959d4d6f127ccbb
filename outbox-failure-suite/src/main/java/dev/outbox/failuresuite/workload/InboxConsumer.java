package dev.outbox.failuresuite.workload;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
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
 * sink's counters say how often, not what. A record without a key (the lab's key {@code none}) is
 * applied to the aggregate its payload names.
 */
public final class InboxConsumer extends TransactionalBatchConsumer {

	/** The consumer name the inbox records ids under. */
	public static final String CONSUMER = "failure-suite";

	private final JdbcTemplate jdbc;

	private final Applier applier;

	private final Map<String, Set<String>> distinct = new ConcurrentHashMap<>();

	private final AtomicLong applied = new AtomicLong();

	private final AtomicLong skipped = new AtomicLong();

	private final AtomicLong failedBatches = new AtomicLong();

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
		super(bootstrapServers, topic, group, 2000, Duration.ofMillis(200), transactions, "workload-inbox-consumer");
		this.jdbc = jdbc;
		this.applier = applier;
		start();
	}

	@Override
	protected Runnable applyInTransaction(ConsumerRecords<String, String> records) {
		long[] counts = new long[2];
		for (ConsumerRecord<String, String> record : records) {
			boolean ran = this.applier.apply(eventId(record), () -> this.jdbc
				.update("UPDATE fs_counter SET applied = applied + 1 WHERE aggregate_id = ?", aggregate(record)));
			counts[ran ? 0 : 1]++;
		}
		return () -> {
			for (ConsumerRecord<String, String> record : records) {
				this.distinct.computeIfAbsent(aggregate(record), (key) -> ConcurrentHashMap.newKeySet()).add(eventId(record));
			}
			this.applied.addAndGet(counts[0]);
			this.skipped.addAndGet(counts[1]);
		};
	}

	/**
	 * @param record a delivery
	 * @return its aggregate: the record's key, or for a record sent without one (the lab's key
	 * {@code none}) the aggregate its payload names
	 */
	static String aggregate(ConsumerRecord<String, String> record) {
		String key = record.key();
		return (key != null) ? key : AccountChanged.parse(record.value()).aggregate();
	}

	@Override
	protected void batchFailed() {
		this.failedBatches.incrementAndGet();
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

}
