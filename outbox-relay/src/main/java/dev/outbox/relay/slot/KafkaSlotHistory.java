package dev.outbox.relay.slot;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The slot history in a compacted Kafka topic of the relay's own
 * ({@code outbox.relay.slot-history-topic}): one record per write, keyed by {@link SlotKey}, the
 * latest value per key kept by compaction. Kafka is the one system the relay must be able to
 * write to anyway, whatever its PostgreSQL privileges.
 * <p>
 * Writes go through a single background thread, so the reader never waits for metadata or a
 * full buffer; {@link #close()} lets the queued ones reach the broker. Reading takes the topic
 * from its beginning to the end offsets read first, with a plain consumer (all partitions
 * assigned, no group, nothing committed).
 */
public final class KafkaSlotHistory implements SlotHistory, AutoCloseable {

	private static final Log logger = LogFactory.getLog(KafkaSlotHistory.class);

	private final String topic;

	private final Map<String, Object> adminConfig;

	private final Map<String, Object> consumerConfig;

	private final Producer<byte[], byte[]> producer;

	private final Duration timeout;

	private final ExecutorService writer = Executors.newSingleThreadExecutor((runnable) -> {
		Thread thread = new Thread(runnable, "outbox-relay-slot-history");
		thread.setDaemon(true);
		return thread;
	});

	/**
	 * @param topic the history topic
	 * @param producerConfig the relay's producer configuration (byte-array serializers)
	 * @param consumerConfig the resolved {@code spring.kafka} consumer configuration
	 * @param adminConfig the resolved {@code spring.kafka} admin configuration
	 * @param timeout how long reading and checking the topic may take
	 */
	public KafkaSlotHistory(String topic, Map<String, Object> producerConfig, Map<String, Object> consumerConfig,
			Map<String, Object> adminConfig, Duration timeout) {
		this.topic = topic;
		this.adminConfig = adminConfig;
		this.consumerConfig = consumerConfig;
		this.timeout = timeout;
		Map<String, Object> config = new HashMap<>(producerConfig);
		config.put(ProducerConfig.CLIENT_ID_CONFIG, config.getOrDefault(ProducerConfig.CLIENT_ID_CONFIG, "outbox-relay")
				+ "-slot-history");
		config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
		// Its own thread waits, not the reader: a record waits for a broker that is briefly away.
		config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
		this.producer = new KafkaProducer<>(config);
	}

	/**
	 * Makes sure the topic exists and is compacted: creates it (one partition, compacted) when it
	 * is missing.
	 * @param replicationFactor replication factor of the topic if created, -1 for the broker's
	 * @throws IllegalStateException naming the topic, the setting and the fix
	 */
	public void prepare(short replicationFactor) {
		try (Admin admin = Admin.create(this.adminConfig)) {
			if (!exists(admin)) {
				create(admin, replicationFactor);
			}
			checkCompacted(admin);
		}
	}

	private boolean exists(Admin admin) {
		try {
			admin.describeTopics(List.of(this.topic)).allTopicNames().get(millis(), TimeUnit.MILLISECONDS);
			return true;
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof UnknownTopicOrPartitionException) {
				return false;
			}
			throw failure("cannot be described", ex.getCause());
		}
		catch (Exception ex) {
			throw failure("cannot be described", ex);
		}
	}

	private void create(Admin admin, short replicationFactor) {
		NewTopic topic = new NewTopic(this.topic, Optional.of(1),
				(replicationFactor > 0) ? Optional.of(replicationFactor) : Optional.empty())
			.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
		try {
			admin.createTopics(List.of(topic)).all().get(millis(), TimeUnit.MILLISECONDS);
			logger.info("Created slot-history topic " + this.topic + " (cleanup.policy=compact)");
		}
		catch (ExecutionException ex) {
			if (!(ex.getCause() instanceof TopicExistsException)) {
				throw failure("is missing and cannot be created", ex.getCause());
			}
		}
		catch (Exception ex) {
			throw failure("is missing and cannot be created", ex);
		}
	}

	/** A history under {@code cleanup.policy=delete} would expire, and the guard with it. */
	private void checkCompacted(Admin admin) {
		ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, this.topic);
		Config config;
		try {
			config = admin.describeConfigs(List.of(resource)).all().get(millis(), TimeUnit.MILLISECONDS).get(resource);
		}
		catch (Exception ex) {
			logger.debug("Cannot read the configuration of slot-history topic " + this.topic + ": " + ex);
			return; // DescribeConfigs is optional
		}
		var policy = (config != null) ? config.get(TopicConfig.CLEANUP_POLICY_CONFIG) : null;
		if (policy != null && policy.value() != null && !policy.value().contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
			throw new IllegalStateException("Slot-history topic " + this.topic + " (outbox.relay.slot-history-topic) "
					+ "has cleanup.policy=" + policy.value() + ": its records would expire, and with them the guard "
					+ "against recreating a dropped slot. Set cleanup.policy=compact on it");
		}
	}

	private IllegalStateException failure(String what, Throwable cause) {
		return new IllegalStateException("Slot-history topic " + this.topic + " (outbox.relay.slot-history-topic) "
				+ what + ": " + cause + ". Create it (one partition, cleanup.policy=compact), or let the relay's "
				+ "Kafka principal Create, Describe, Read and Write it", cause);
	}

	@Override
	public Optional<SlotHistoryRecord> lastRecord(SlotKey key) {
		Map<String, Object> config = new HashMap<>(this.consumerConfig);
		config.remove(ConsumerConfig.GROUP_ID_CONFIG);
		config.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
		config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
		config.put(ConsumerConfig.CLIENT_ID_CONFIG, "outbox-relay-slot-history-reader");
		String wanted = key.toString();
		long deadline = System.nanoTime() + this.timeout.toNanos();
		try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
				new ByteArrayDeserializer())) {
			List<TopicPartition> partitions = consumer.partitionsFor(this.topic, this.timeout)
				.stream()
				.map((PartitionInfo info) -> new TopicPartition(info.topic(), info.partition()))
				.toList();
			consumer.assign(partitions);
			consumer.seekToBeginning(partitions);
			Map<TopicPartition, Long> end = consumer.endOffsets(partitions, this.timeout);
			String last = null;
			while (!readTo(consumer, end)) {
				if (System.nanoTime() > deadline) {
					throw new IllegalStateException("timed out after " + this.timeout);
				}
				for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
					if (record.key() != null && wanted.equals(new String(record.key(), StandardCharsets.UTF_8))) {
						last = (record.value() != null) ? new String(record.value(), StandardCharsets.UTF_8) : null;
					}
				}
			}
			return Optional.ofNullable(last).map(SlotHistoryRecord::parse);
		}
		catch (RuntimeException ex) {
			throw new IllegalStateException("Cannot read slot-history topic " + this.topic
					+ " (outbox.relay.slot-history-topic) to check whether slot " + key.slotName()
					+ " streamed before: " + ex.getMessage() + ". The relay does not create the slot without it", ex);
		}
	}

	private static boolean readTo(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
		for (Map.Entry<TopicPartition, Long> partition : end.entrySet()) {
			if (consumer.position(partition.getKey()) < partition.getValue()) {
				return false;
			}
		}
		return true;
	}

	@Override
	public void record(SlotKey key, SlotHistoryRecord record) {
		ProducerRecord<byte[], byte[]> message = new ProducerRecord<>(this.topic,
				key.toString().getBytes(StandardCharsets.UTF_8), record.toJson().getBytes(StandardCharsets.UTF_8));
		try {
			this.writer.execute(() -> {
				try {
					this.producer.send(message, (metadata, error) -> {
						if (error != null) {
							logger.warn("Cannot record slot " + key + " in slot-history topic " + this.topic + ": "
									+ error);
						}
					});
				}
				catch (RuntimeException ex) {
					logger.warn("Cannot record slot " + key + " in slot-history topic " + this.topic + ": " + ex);
				}
			});
		}
		catch (RejectedExecutionException ex) {
			logger.warn("Slot history closed; not recorded: " + key + " " + record.toJson());
		}
	}

	@Override
	public String describe() {
		return "topic " + this.topic;
	}

	private long millis() {
		return this.timeout.toMillis();
	}

	@Override
	public void close() {
		this.writer.shutdown();
		try {
			this.writer.awaitTermination(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.producer.close(Duration.ofSeconds(10));
	}

}
