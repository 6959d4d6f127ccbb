package dev.outbox.sample;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.outbox.testsupport.KafkaBroker;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What a topic holds, read from the beginning by a consumer of no group. */
public final class TopicRecords {

	private TopicRecords() {
	}

	/**
	 * Reads the whole topic until it holds the given number of records, and polls once more to
	 * catch any extra one; asserts that it holds exactly that many.
	 * @param kafka the broker
	 * @param topic the topic
	 * @param count the records expected
	 * @return the records, each partition's in offset order
	 */
	public static List<ConsumerRecord<String, String>> exactly(KafkaBroker kafka, String topic, int count) {
		List<ConsumerRecord<String, String>> records = new ArrayList<>();
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
				Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), new StringDeserializer(),
				new StringDeserializer())) {
			List<TopicPartition> partitions = consumer.partitionsFor(topic)
				.stream()
				.map((info) -> new TopicPartition(info.topic(), info.partition()))
				.toList();
			consumer.assign(partitions);
			consumer.seekToBeginning(partitions);
			await().atMost(Duration.ofSeconds(30)).until(() -> {
				consumer.poll(Duration.ofMillis(200)).forEach(records::add);
				return records.size() >= count;
			});
			consumer.poll(Duration.ofMillis(1000)).forEach(records::add);
		}
		assertThat(records).hasSize(count);
		return records;
	}

}
