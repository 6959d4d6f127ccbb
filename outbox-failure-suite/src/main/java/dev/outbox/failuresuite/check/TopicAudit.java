package dev.outbox.failuresuite.check;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.outbox.failuresuite.workload.AccountChanged;
import dev.outbox.testsupport.delivery.Delivery;

import static org.awaitility.Awaitility.await;

/**
 * Reads a whole topic, every partition from its first offset to its end, independently of the
 * consumer under test: what Kafka holds is what the checker compares with the database.
 */
public final class TopicAudit {

	private TopicAudit() {
	}

	/**
	 * Reads every record of a topic, up to the end offsets as of the call.
	 * @param bootstrapServers the broker, directly
	 * @param topic the topic
	 * @return the records in partition and offset order, each naming its event by aggregate and
	 * sequence ({@link SequencedEvents})
	 */
	public static List<Delivery> read(String bootstrapServers, String topic) {
		return read(bootstrapServers, topic, TopicAudit::parse);
	}

	/**
	 * Reads every record of a topic, up to the end offsets as of the call.
	 * @param bootstrapServers the broker, directly
	 * @param topic the topic
	 * @param parser names the event a record carries
	 * @return the records in partition and offset order: as a consumer sees them that reads the
	 * partitions one after the other (one catching up on a backlog, or a group's consumers each at its
	 * own pace). For records keyed by aggregate this is each aggregate's order in its partition; for
	 * records without a key, whose aggregates spread over partitions, it is one order a consumer may
	 * see, fixed so that the check does not depend on how the fetches happened to interleave
	 */
	public static List<Delivery> read(String bootstrapServers, String topic,
			Function<ConsumerRecord<String, String>, Delivery> parser) {
		List<Delivery> delivered = new ArrayList<>();
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
				ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
				ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000, ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted"),
				new StringDeserializer(), new StringDeserializer())) {
			List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30))
				.stream()
				.map((info) -> new TopicPartition(topic, info.partition()))
				.toList();
			consumer.assign(partitions);
			consumer.seekToBeginning(partitions);
			Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
			await("audit of " + topic).atMost(Duration.ofMinutes(3)).pollInterval(Duration.ZERO).until(() -> {
				for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
					delivered.add(parser.apply(record));
				}
				return partitions.stream().allMatch((partition) -> consumer.position(partition) >= end.get(partition));
			});
		}
		delivered.sort(Comparator.comparingInt(Delivery::partition).thenComparingLong(Delivery::offset));
		return delivered;
	}

	private static Delivery parse(ConsumerRecord<String, String> record) {
		Header id = record.headers().lastHeader("id");
		AccountChanged event = AccountChanged.parse(record.value());
		return new Delivery(record.key(), SequencedEvents.name(event.aggregate(), event.seq()),
				(id != null) ? new String(id.value(), StandardCharsets.UTF_8) : "", record.partition(), record.offset());
	}

}
