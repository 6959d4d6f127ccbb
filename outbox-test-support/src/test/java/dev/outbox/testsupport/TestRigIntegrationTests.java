package dev.outbox.testsupport;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@PostgresTest
class TestRigIntegrationTests {

	@Test
	void databaseIsFreshAndServerDecodesLogically(TestDatabase database) throws Exception {
		try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
			try (ResultSet resultSet = statement.executeQuery("SELECT current_database(), current_setting('wal_level')")) {
				resultSet.next();
				assertThat(resultSet.getString(1)).isEqualTo(database.name());
				assertThat(resultSet.getString(2)).isEqualTo("logical");
			}
			String slot = database.uniqueName("rig_slot");
			statement.execute("CREATE TABLE t (id int PRIMARY KEY)");
			statement.execute("SELECT pg_create_logical_replication_slot('" + slot + "', 'test_decoding')");
			statement.execute("INSERT INTO t VALUES (42)");
			List<String> changes = new ArrayList<>();
			try (ResultSet resultSet = statement
				.executeQuery("SELECT data FROM pg_logical_slot_get_changes('" + slot + "', NULL, NULL)")) {
				while (resultSet.next()) {
					changes.add(resultSet.getString(1));
				}
			}
			statement.execute("SELECT pg_drop_replication_slot('" + slot + "')");
			assertThat(changes).anyMatch((change) -> change.contains("INSERT: id[integer]:42"));
		}
	}

	@Test
	void kafkaBrokerKeepsRecordsAcrossKillAndRestart() {
		KafkaBroker broker = KafkaBroker.startPrivate("rig");
		try {
			String topic = "rig-" + UUID.randomUUID();
			try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
					ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
					new StringSerializer(), new StringSerializer())) {
				producer.send(new ProducerRecord<>(topic, "key", "before-crash")).get();
			}
			catch (Exception ex) {
				throw new AssertionError("send failed on " + broker, ex);
			}
			broker.kill();
			assertThat(broker.isRunning()).isFalse();
			broker.start();
			List<String> values = new ArrayList<>();
			try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
					ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(), ConsumerConfig.GROUP_ID_CONFIG,
					"rig", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(),
					new StringDeserializer())) {
				consumer.subscribe(List.of(topic));
				await().atMost(Duration.ofSeconds(60)).until(() -> {
					for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
						values.add(record.value());
					}
					return !values.isEmpty();
				});
			}
			assertThat(values).containsExactly("before-crash");
		}
		finally {
			broker.stop();
		}
	}

}
