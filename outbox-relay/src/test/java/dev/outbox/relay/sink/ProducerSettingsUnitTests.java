package dev.outbox.relay.sink;

import java.util.Map;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RoundRobinPartitioner;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ProducerSettingsUnitTests {

	@Test
	void settingsThatOrderAndDurabilityDependOnOverrideTheUsersOnes() {
		Map<String, Object> config = ProducerSettings.of(Map.of(ProducerConfig.ACKS_CONFIG, "1",
				ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false, ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5,
				ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000, ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
				StringSerializer.class, ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tx"));
		assertThat(config).containsEntry(ProducerConfig.ACKS_CONFIG, "all")
			.containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
			.containsEntry(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1)
			.containsEntry(ProducerConfig.RETRIES_CONFIG, Integer.MAX_VALUE)
			.containsEntry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.MAX_VALUE)
			.containsEntry(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class)
			.doesNotContainKey(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
	}

	@Test
	void userThroughputAndConnectionSettingsPassThrough() {
		Map<String, Object> config = ProducerSettings.of(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "kafka:9093",
				"security.protocol", "SASL_SSL", ProducerConfig.LINGER_MS_CONFIG, 20, ProducerConfig.COMPRESSION_TYPE_CONFIG,
				"zstd"));
		assertThat(config).containsEntry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "kafka:9093")
			.containsEntry("security.protocol", "SASL_SSL")
			.containsEntry(ProducerConfig.LINGER_MS_CONFIG, 20)
			.containsEntry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd")
			.containsEntry(ProducerConfig.BATCH_SIZE_CONFIG, 262_144);
	}

	@Test
	void partitioningThatIgnoresTheKeyIsOverriddenLikeTheOtherOrderSettings() {
		Map<String, Object> config = ProducerSettings.of(Map.of(ProducerConfig.PARTITIONER_IGNORE_KEYS_CONFIG, true));
		assertThat(config).containsEntry(ProducerConfig.PARTITIONER_IGNORE_KEYS_CONFIG, false);
	}

	@Test
	void roundRobinPartitionerIsRefusedNamingTheSettingAndTheFix() {
		for (Object partitioner : new Object[] { RoundRobinPartitioner.class, RoundRobinPartitioner.class.getName() }) {
			assertThatIllegalArgumentException()
				.isThrownBy(() -> ProducerSettings.of(Map.of(ProducerConfig.PARTITIONER_CLASS_CONFIG, partitioner)))
				.withMessageContaining("spring.kafka.producer.properties.partitioner.class")
				.withMessageContaining("RoundRobinPartitioner")
				.withMessageContaining("per-aggregate order")
				.withMessageContaining("Remove it");
		}
	}

	@Test
	void partitionerThatMapsEachKeyToOnePartitionPassesThrough() {
		Map<String, Object> config = ProducerSettings.of(Map.of(ProducerConfig.PARTITIONER_CLASS_CONFIG,
				"com.example.KeyHashPartitioner"));
		assertThat(config).containsEntry(ProducerConfig.PARTITIONER_CLASS_CONFIG, "com.example.KeyHashPartitioner");
	}

}
