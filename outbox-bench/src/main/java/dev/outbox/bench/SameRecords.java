package dev.outbox.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jspecify.annotations.Nullable;

/**
 * Checks that a peer published the same records as the relay: both drained the same backlog
 * into the same topic, one after the other, and the same key lands in the same partition in
 * commit order, so the first records of each partition from where each system started are the
 * same events. Compares topic, partition, key, value and the {@code id} and {@code eventType}
 * headers of a few of them.
 */
public final class SameRecords {

	/** Records compared per partition. */
	static final int PER_PARTITION = 5;

	private SameRecords() {
	}

	/**
	 * What is compared of one record.
	 * @param topic the topic
	 * @param partition the partition
	 * @param key the key, UTF-8
	 * @param value the value, UTF-8
	 * @param id the {@code id} header, or {@code null} when absent
	 * @param eventType the {@code eventType} header, or {@code null} when absent
	 */
	public record Published(String topic, int partition, @Nullable String key, @Nullable String value,
			@Nullable String id, @Nullable String eventType) {
	}

	/**
	 * Reads the first records of each partition from the given offsets.
	 * @param bootstrap Kafka
	 * @param topic the topic
	 * @param from where to start, by partition
	 * @param perPartition how many records of each partition
	 * @return the records, partition by partition
	 */
	public static List<Published> read(String bootstrap, String topic, Map<Integer, Long> from, int perPartition) {
		List<Published> records = new ArrayList<>();
		try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
				bootstrap, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
				ByteArrayDeserializer.class, ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
			for (Map.Entry<Integer, Long> start : from.entrySet()) {
				TopicPartition partition = new TopicPartition(topic, start.getKey());
				consumer.assign(List.of(partition));
				consumer.seek(partition, start.getValue());
				List<Published> read = new ArrayList<>();
				long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
				while (read.size() < perPartition && System.nanoTime() < deadline) {
					for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
						if (read.size() < perPartition) {
							read.add(new Published(record.topic(), record.partition(), text(record.key()),
									text(record.value()), header(record, "id"), header(record, "eventType")));
						}
					}
				}
				records.addAll(read);
			}
		}
		return records;
	}

	/**
	 * Compares a peer's records with the relay's, one by one.
	 * @param peer the peer's name, for the messages
	 * @param relay the relay's records
	 * @param other the peer's records, read the same way
	 * @return one line per difference; empty when they are the same
	 */
	public static List<String> differences(String peer, List<Published> relay, List<Published> other) {
		List<String> differences = new ArrayList<>();
		if (relay.isEmpty() || relay.size() != other.size()) {
			differences.add(String.format("%s published %d records where the relay's were %d", peer, other.size(),
					relay.size()));
			return differences;
		}
		for (int i = 0; i < relay.size(); i++) {
			Published ours = relay.get(i);
			Published theirs = other.get(i);
			compare(differences, peer, i, "topic", ours.topic(), theirs.topic());
			compare(differences, peer, i, "partition", Integer.toString(ours.partition()),
					Integer.toString(theirs.partition()));
			compare(differences, peer, i, "key", ours.key(), theirs.key());
			compare(differences, peer, i, "value", ours.value(), theirs.value());
			compare(differences, peer, i, "header id", ours.id(), theirs.id());
			compare(differences, peer, i, "header eventType", ours.eventType(), theirs.eventType());
		}
		return differences;
	}

	private static void compare(List<String> differences, String peer, int index, String field, @Nullable String ours,
			@Nullable String theirs) {
		if (!Objects.equals(ours, theirs)) {
			differences.add(String.format("record %d: %s of %s is %s, the relay's is %s", index, field, peer,
					quoted(theirs), quoted(ours)));
		}
	}

	private static String quoted(@Nullable String text) {
		return (text == null) ? "absent" : "'" + text + "'";
	}

	private static @Nullable String header(ConsumerRecord<byte[], byte[]> record, String name) {
		Header header = record.headers().lastHeader(name);
		return (header == null) ? null : text(header.value());
	}

	private static @Nullable String text(byte @Nullable [] bytes) {
		return (bytes == null) ? null : new String(bytes, StandardCharsets.UTF_8);
	}

}
