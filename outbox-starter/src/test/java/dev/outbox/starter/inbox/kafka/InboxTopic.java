package dev.outbox.starter.inbox.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.outbox.testsupport.KafkaBroker;

/**
 * A one-partition topic of the inbox listener tests, and a producer that sends records with the
 * headers the relay writes.
 */
final class InboxTopic implements AutoCloseable {

	private final String name;

	private final KafkaProducer<String, String> producer;

	private InboxTopic(String name, KafkaProducer<String, String> producer) {
		this.name = name;
		this.producer = producer;
	}

	/**
	 * Create the topic on the broker.
	 * @param kafka the broker
	 * @param name the topic
	 * @return the topic, with its producer
	 * @throws Exception if the topic cannot be created
	 */
	static InboxTopic create(KafkaBroker kafka, String name) throws Exception {
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
			admin.createTopics(List.of(new NewTopic(name, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
		}
		return new InboxTopic(name, new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
				kafka.bootstrapServers(), ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
				ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class)));
	}

	/**
	 * Send a record with key {@code key} and wait for the broker to have it.
	 * @param headers its headers, as UTF-8 text
	 * @param body its value
	 * @throws Exception if the send fails
	 */
	void send(Map<String, String> headers, String body) throws Exception {
		ProducerRecord<String, String> record = new ProducerRecord<>(this.name, "key", body);
		headers.forEach((name, value) -> record.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
		this.producer.send(record).get(30, TimeUnit.SECONDS);
	}

	@Override
	public void close() {
		this.producer.close(Duration.ofSeconds(10));
	}

}
