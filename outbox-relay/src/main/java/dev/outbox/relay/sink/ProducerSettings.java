package dev.outbox.relay.sink;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RoundRobinPartitioner;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The producer configuration of the relay: what the user set under {@code spring.kafka.*}
 * (bootstrap servers, TLS, SASL, client id, compression, batching...), with the settings that
 * correctness depends on forced.
 * <p>
 * Why each forced setting:
 * <ul>
 * <li>{@code acks=all} and {@code enable.idempotence=true}: an acknowledged record is on every
 * in-sync replica, and a retried batch is never written twice nor out of order.</li>
 * <li>{@code max.in.flight.requests.per.connection=1}: one produce request per broker
 * connection at a time. The idempotent producer is documented to keep order with up to 5, but
 * kafka-clients 4.1 does not when the first batch of a partition fails with
 * NOT_LEADER_OR_FOLLOWER (a topic just created, a leader moving): the broker, knowing no state
 * for the producer, accepts the next pipelined batch with a later sequence, and the first batch
 * then fails with OUT_OF_ORDER_SEQUENCE_NUMBER forever. Seen here as a later event of an
 * aggregate written before an earlier one
 * ({@code RelayOutageIntegrationTests#lostReplicationConnectionIsReconnectedAndResumed}, about
 * one run in five with 5 in flight). With one request in flight a batch is retried before any
 * later batch of its partition is sent.</li>
 * <li>{@code retries} and {@code delivery.timeout.ms} at their maximum: a record is never expired
 * while the broker is away. An expired record followed by a delivered one would put a later
 * event of a key before an earlier one; instead the producer keeps retrying, in order, and the
 * checkpoint simply does not advance.</li>
 * <li>{@code partitioner.ignore.keys=false}, and {@code partitioner.class} never
 * {@code RoundRobinPartitioner} (refused, naming the setting): per-aggregate order is per
 * partition, so every record of a key must go to one partition. A partitioner of the user's own
 * passes through; it must map each key to one partition, as the default one does.</li>
 * <li>{@code max.block.ms} short unless set: {@code send()} returns control to the reader, which
 * must keep sending status updates to PostgreSQL while Kafka is away.</li>
 * </ul>
 * Throughput defaults ({@code linger.ms=5}, {@code batch.size=256KiB}) apply only where the user set
 * nothing.
 */
public final class ProducerSettings {

	private ProducerSettings() {
	}

	/**
	 * Returns the relay's producer configuration.
	 * @param userConfig resolved {@code spring.kafka} producer configuration
	 * @return a new map, safe to modify
	 * @throws IllegalArgumentException when the configured partitioner spreads one key over partitions
	 */
	public static Map<String, Object> of(Map<String, Object> userConfig) {
		Object partitioner = userConfig.get(ProducerConfig.PARTITIONER_CLASS_CONFIG);
		if (partitioner != null && RoundRobinPartitioner.class.getName()
			.equals((partitioner instanceof Class<?> type) ? type.getName() : partitioner.toString().strip())) {
			throw new IllegalArgumentException("spring.kafka.producer.properties.partitioner.class is "
					+ RoundRobinPartitioner.class.getName() + ": it spreads the events of one aggregate over "
					+ "partitions, and consumers would read them out of per-aggregate order. Remove it (the default "
					+ "partitioner maps each aggregate_id key to one partition), or use a partitioner that maps each "
					+ "key to one partition");
		}
		Map<String, Object> config = new HashMap<>(userConfig);
		config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
		config.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, 262_144);
		config.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 1_000);
		config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "outbox-relay");
		config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
		config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
		config.put(ProducerConfig.ACKS_CONFIG, "all");
		config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
		config.put(ProducerConfig.RETRIES_CONFIG, Integer.MAX_VALUE);
		config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.MAX_VALUE);
		config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
		config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
		config.put(ProducerConfig.PARTITIONER_IGNORE_KEYS_CONFIG, false);
		return config;
	}

}
