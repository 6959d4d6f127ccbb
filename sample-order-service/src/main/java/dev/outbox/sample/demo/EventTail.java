package dev.outbox.sample.demo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.StringJoiner;
import java.util.UUID;

import ch.qos.logback.classic.Level;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.LoggerFactory;

/**
 * Prints the records of a topic as they arrive, for {@code scripts/demo.sh}: topic, partition,
 * offset, key, every header ({@code id}, {@code eventType}, {@code aggregateType}, ...) and the
 * payload. Reads from the beginning with a throwaway consumer group and exits 0 after the
 * expected number of records, 1 if they did not all arrive in time.
 * <p>
 * Not part of the service: run from its jar with Spring Boot's {@code PropertiesLauncher}:
 * <pre>
 * java -cp sample-order-service.jar -Dloader.main=dev.outbox.sample.demo.EventTail \
 *     org.springframework.boot.loader.launch.PropertiesLauncher BOOTSTRAP TOPIC COUNT TIMEOUT_SECONDS
 * </pre>
 */
public final class EventTail {

	private EventTail() {
	}

	public static void main(String[] args) {
		if (args.length != 4) {
			System.err.println("usage: EventTail BOOTSTRAP_SERVERS TOPIC EXPECTED_COUNT TIMEOUT_SECONDS");
			System.exit(2);
		}
		((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
			.setLevel(Level.ERROR);
		String topic = args[1];
		int expected = Integer.parseInt(args[2]);
		long deadline = System.nanoTime() + Duration.ofSeconds(Long.parseLong(args[3])).toNanos();
		int seen = 0;
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProperties(args[0]))) {
			consumer.subscribe(List.of(topic));
			while (seen < expected && System.nanoTime() < deadline) {
				for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
					System.out.println(format(record));
					System.out.flush();
					seen++;
				}
			}
		}
		if (seen < expected) {
			System.err.println("EventTail: expected " + expected + " records on " + topic + " within " + args[3]
					+ "s, saw " + seen);
			System.exit(1);
		}
	}

	private static Properties consumerProperties(String bootstrapServers) {
		Properties properties = new Properties();
		properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
		properties.put(ConsumerConfig.GROUP_ID_CONFIG, "outbox-demo-tail-" + UUID.randomUUID());
		properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
		properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
		properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
		return properties;
	}

	/**
	 * Formats one record on two lines: where it is and its key and headers, then its payload.
	 * @param record the record
	 * @return the text to print
	 */
	static String format(ConsumerRecord<String, String> record) {
		StringJoiner headers = new StringJoiner(" ");
		for (Header header : record.headers()) {
			String value = (header.value() != null) ? new String(header.value(), StandardCharsets.UTF_8) : "null";
			headers.add(header.key() + "=" + value);
		}
		return "topic=" + record.topic() + " partition=" + record.partition() + " offset=" + record.offset() + " key="
				+ record.key() + " " + headers + "\n    payload=" + record.value();
	}

}
