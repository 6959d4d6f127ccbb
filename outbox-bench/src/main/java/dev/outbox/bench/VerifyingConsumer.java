package dev.outbox.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads what arrives on one topic after it started (the same backlog's topic holds the records of
 * every system that drained it before) and checks what the relay or a peer delivered: every sequence number
 * present (nothing missing), how many records were duplicates, and whether, per aggregate, first
 * occurrences arrived in sequence (= commit) order. Optionally records commit → receive latency
 * from the writer's clock in each payload. Receive time is taken once per poll, as the records
 * are handed to the application.
 * <p>
 * Its checks follow the rules of the tests' delivery checker
 * ({@code dev.outbox.testsupport.delivery.DeliveryCheck}: duplicates by identity, order on first
 * occurrences per aggregate, a gap is loss and not disorder) but are its own, on purpose: the
 * checker lives in {@code outbox-test-support}, whose compile dependencies are the Kafka broker
 * ({@code kafka_2.13} and Scala), Testcontainers and JUnit, none of which belongs on the
 * benchmark's run-time class path; and here the check must keep up with the relay's full rate
 * while it runs, a bit per sequence number, where the checker keeps every record for its evidence.
 */
public final class VerifyingConsumer implements AutoCloseable {

	private final KafkaConsumer<byte[], byte[]> consumer;

	private final String topic;

	/** First sequence number whose latency is recorded; none until {@link #measureLatencyFrom}. */
	private volatile long latencyFromSeq = Long.MAX_VALUE;

	private final Thread thread;

	private final Map<Integer, Long> startOffsets = new TreeMap<>();

	private final BitSet seen = new BitSet();

	private final long[] lastSeqByAggregate;

	private final Percentiles latencyMicros = new Percentiles(1 << 16);

	private final Percentiles toBrokerMicros = new Percentiles(1 << 16);

	private final Percentiles fromBrokerMicros = new Percentiles(1 << 16);

	private final AtomicReference<Throwable> failure = new AtomicReference<>();

	/** Worst commit → receive latency per second of commit time. */
	private final WorstBySecond worstBySecond = new WorstBySecond();

	/** Worst commit → broker append latency per second of commit time. */
	private final WorstBySecond worstToBrokerBySecond = new WorstBySecond();

	private volatile boolean running = true;

	private volatile long unique;

	private volatile long duplicates;

	private volatile long orderViolations;

	private volatile long malformed;

	private volatile long firstNanos;

	private volatile long lastNanos;

	/**
	 * Starts consuming; latency is recorded only once {@link #measureLatencyFrom(long)} says from
	 * which event on.
	 * @param bootstrap Kafka's bootstrap servers
	 * @param topic the topic, which must exist
	 * @param aggregates how many aggregates the writer used
	 */
	public VerifyingConsumer(String bootstrap, String topic, int aggregates) {
		this.consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
				ConsumerConfig.CLIENT_ID_CONFIG, "bench-verifier-" + topic, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
				false, ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000, ConsumerConfig.RECEIVE_BUFFER_CONFIG, 1 << 20,
				ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 << 20, ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
				ByteArrayDeserializer.class, ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
				ByteArrayDeserializer.class));
		this.topic = topic;
		this.lastSeqByAggregate = new long[aggregates];
		Arrays.fill(this.lastSeqByAggregate, -1);
		List<TopicPartition> partitions = new ArrayList<>();
		for (PartitionInfo info : this.consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
			partitions.add(new TopicPartition(topic, info.partition()));
		}
		this.consumer.assign(partitions);
		this.consumer.seekToEnd(partitions);
		for (TopicPartition partition : partitions) { // resolve now, not on the first record
			this.startOffsets.put(partition.partition(), this.consumer.position(partition));
		}
		this.thread = new Thread(this::run, "bench-verifier-" + topic);
		this.thread.start();
	}

	private void run() {
		long[] latencies = new long[5000];
		try {
			while (this.running) {
				ConsumerRecords<byte[], byte[]> records = this.consumer.poll(Duration.ofMillis(50));
				if (records.isEmpty()) {
					continue;
				}
				long nowNanos = System.nanoTime();
				long nowMicros = Micros.now();
				int measured = 0;
				long newOnes = 0;
				for (ConsumerRecord<byte[], byte[]> record : records) {
					long seq = EventPayload.seq(record.value());
					if (seq < 0 || seq > Integer.MAX_VALUE) {
						this.malformed++;
						continue;
					}
					if (this.seen.get((int) seq)) {
						this.duplicates++;
						continue;
					}
					this.seen.set((int) seq);
					newOnes++;
					int aggregate = aggregate(record.key());
					if (aggregate >= 0 && aggregate < this.lastSeqByAggregate.length) {
						if (seq < this.lastSeqByAggregate[aggregate]) {
							this.orderViolations++;
						}
						else {
							this.lastSeqByAggregate[aggregate] = seq;
						}
					}
					if (seq >= this.latencyFromSeq) {
						if (measured == latencies.length) {
							this.latencyMicros.recordAll(latencies, measured);
							measured = 0;
						}
						long committed = EventPayload.micros(record.value());
						long latencyMicros = Math.max(0, nowMicros - committed);
						latencies[measured++] = latencyMicros;
						this.worstBySecond.record(committed, latencyMicros);
						if (record.timestampType() == TimestampType.LOG_APPEND_TIME) {
							long appended = record.timestamp() * 1000;
							this.toBrokerMicros.record(appended - committed);
							this.worstToBrokerBySecond.record(committed, appended - committed);
							this.fromBrokerMicros.record(nowMicros - appended);
						}
					}
				}
				this.latencyMicros.recordAll(latencies, measured);
				if (newOnes > 0) {
					if (this.unique == 0) {
						this.firstNanos = nowNanos;
					}
					this.lastNanos = nowNanos;
					this.unique += newOnes;
				}
			}
		}
		catch (Throwable ex) {
			this.failure.set(ex);
		}
	}

	private static int aggregate(byte[] key) {
		if (key == null || key.length < 5) {
			return -1;
		}
		int value = 0;
		for (int i = 4; i < key.length; i++) {
			value = value * 10 + (key[i] - '0');
		}
		return value;
	}

	/**
	 * Returns the worst commit → receive latency of each UTC second of commit time: where a run's
	 * tail comes from (a start-up stall, a pause, a steady load). Call after {@link #await}, whose
	 * read of the received count makes the figures visible.
	 * @return milliseconds, one figure per second, separated by spaces, then the UTC second the
	 * first figure belongs to, to line up with GC logs
	 */
	public String worstMillisBySecond() {
		Instant first = this.worstBySecond.first();
		return this.worstBySecond.millis() + ((first != null) ? " (from " + first + ")" : "");
	}

	/**
	 * Returns the worst commit → broker append latency of each second of commit time, like
	 * {@link #worstMillisBySecond()}: whether a slow second was slow before the broker (writer,
	 * PostgreSQL, relay) or after it (broker to consumer). Zero on topics without
	 * {@code LogAppendTime}.
	 * @return milliseconds, one figure per second, separated by spaces
	 */
	public String worstToBrokerMillisBySecond() {
		return this.worstToBrokerBySecond.millis();
	}

	/** @return the worst commit → receive latency per second, after {@link #await} */
	WorstBySecond worstBySecond() {
		return this.worstBySecond;
	}

	/** @return the worst commit → broker append latency per second, after {@link #await} */
	WorstBySecond worstToBrokerBySecond() {
		return this.worstToBrokerBySecond;
	}

	/**
	 * Records latency from one sequence number on: the events before it were a warm-up.
	 * @param seq the first sequence number whose latency counts
	 */
	public void measureLatencyFrom(long seq) {
		this.latencyFromSeq = seq;
	}

	/** @return where this consumer started, by partition: the first offset of what it checks */
	public Map<Integer, Long> startOffsets() {
		return new TreeMap<>(this.startOffsets);
	}

	/** @return distinct events received so far */
	public long unique() {
		return this.unique;
	}

	/** @return {@link System#nanoTime()} when the first record was received, or 0 */
	public long firstNanos() {
		return this.firstNanos;
	}

	/**
	 * Waits until {@code expected} distinct events arrived, or until nothing new arrived for
	 * {@code idleTimeout}.
	 * @param expected the events written, sequence numbers 0 to expected - 1
	 * @param idleTimeout how long without progress before giving up
	 * @return what was received
	 * @throws InterruptedException when interrupted
	 */
	public Result await(long expected, Duration idleTimeout) throws InterruptedException {
		return await(expected, idleTimeout, () -> {
		});
	}

	/**
	 * Waits until {@code expected} distinct events arrived, or until nothing new arrived for
	 * {@code idleTimeout}, and runs {@code onComplete} as soon as they all arrived.
	 * @param expected the events written, sequence numbers 0 to expected - 1
	 * @param idleTimeout how long without progress before giving up
	 * @param onComplete run on the calling thread within milliseconds of the last event
	 * @return what was received
	 * @throws InterruptedException when interrupted
	 */
	public Result await(long expected, Duration idleTimeout, Runnable onComplete) throws InterruptedException {
		long lastProgress = System.nanoTime();
		long lastUnique = -1;
		while (this.unique < expected && this.failure.get() == null) {
			if (this.unique != lastUnique) {
				lastUnique = this.unique;
				lastProgress = System.nanoTime();
			}
			else if (System.nanoTime() - lastProgress > idleTimeout.toNanos()) {
				break;
			}
			Thread.sleep(2);
		}
		if (this.unique >= expected) {
			onComplete.run();
		}
		if (this.failure.get() != null) {
			throw new IllegalStateException("consumer of " + this.topic + " failed", this.failure.get());
		}
		Thread.sleep(200); // late duplicates
		long missing = Math.max(0, expected - this.unique);
		return new Result(expected, this.unique, missing, this.duplicates, this.orderViolations, this.malformed,
				this.firstNanos, this.lastNanos, this.latencyMicros.snapshot(), this.toBrokerMicros.snapshot(),
				this.fromBrokerMicros.snapshot());
	}

	@Override
	public void close() throws InterruptedException {
		this.running = false;
		this.consumer.wakeup();
		this.thread.join(10_000);
		this.consumer.close(Duration.ofSeconds(5));
	}

	/**
	 * What the consumer received.
	 * @param expected events written
	 * @param received distinct events received
	 * @param missing events written and not received
	 * @param duplicates records received more than once
	 * @param orderViolations first occurrences received before an earlier-committed event of their aggregate
	 * @param malformed records without a sequence number
	 * @param firstNanos when the first record arrived ({@link System#nanoTime()})
	 * @param lastNanos when the last new record arrived
	 * @param latencyMicros commit → receive, if recorded
	 * @param toBrokerMicros commit → the broker's append time (millisecond resolution), on topics
	 * with {@code message.timestamp.type=LogAppendTime}
	 * @param fromBrokerMicros the broker's append time → receive, on such topics
	 */
	public record Result(long expected, long received, long missing, long duplicates, long orderViolations,
			long malformed, long firstNanos, long lastNanos, Percentiles.Snapshot latencyMicros,
			Percentiles.Snapshot toBrokerMicros, Percentiles.Snapshot fromBrokerMicros) {

		/** @return seconds from the first record to the last one */
		public double seconds() {
			return (this.lastNanos - this.firstNanos) / 1e9;
		}

		/** @return whether every event arrived, in order per aggregate, and nothing unreadable */
		public boolean complete() {
			return this.missing == 0 && this.orderViolations == 0 && this.malformed == 0;
		}

	}

}
