package dev.outbox.relay;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;


import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.ProducerFactory;
import tools.jackson.databind.json.JsonMapper;

import dev.outbox.relay.health.OutboxRelayHealthIndicator;
import dev.outbox.relay.health.RelayReadinessHealthIndicator;
import dev.outbox.relay.health.SlotMetrics;
import dev.outbox.relay.health.SlotReader;
import dev.outbox.relay.pipeline.RelayMetrics;
import dev.outbox.relay.pipeline.RelayPipeline;
import dev.outbox.relay.pipeline.RelayStatus;
import dev.outbox.relay.routing.CloudEventsFormat;
import dev.outbox.relay.routing.OutboxRecordMapper;
import dev.outbox.relay.routing.RecordFormat;
import dev.outbox.relay.routing.TopicTemplate;
import dev.outbox.relay.sink.KafkaEventSink;
import dev.outbox.relay.slot.KafkaSlotHistory;
import dev.outbox.relay.sink.ProducerSettings;
import dev.outbox.relay.sink.TopicProvisioner;
import dev.outbox.relay.source.ConnectionSettings;
import dev.outbox.relay.source.RelayStartupException;
import dev.outbox.relay.source.ReplicationSetup;
import dev.outbox.relay.source.SourceSettings;

/**
 * Wires the relay's parts. PostgreSQL comes from Boot's {@code spring.datasource.*} (the same
 * URL and role open the replication connection), Kafka from Boot's {@code spring.kafka.*}, whose
 * resolved producer and admin configuration (TLS and SASL included) the relay reuses.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RelayProperties.class)
class RelayConfiguration {

	@Bean
	RelayStatus relayStatus() {
		return new RelayStatus(Clock.systemUTC());
	}

	@Bean
	ReplicationSetup replicationSetup(DataSource dataSource, RelayProperties properties) {
		return new ReplicationSetup(dataSource, SourceSettings.of(properties.getTable(), properties.getPublicationName(),
				properties.isCreatePublication(), properties.getSlotName(), properties.isCreateSlot(),
				properties.getSnapshotMode() == RelayProperties.SnapshotMode.INITIAL));
	}

	@Bean
	ConnectionSettings replicationConnectionSettings(JdbcConnectionDetails details) {
		return new ConnectionSettings(details.getJdbcUrl(), details.getUsername(), details.getPassword());
	}

	@Bean
	OutboxRecordMapper outboxRecordMapper(RelayProperties properties, ObjectProvider<JsonMapper> jsonMapper) {
		try {
			TopicTemplate template = new TopicTemplate(properties.getTopicTemplate());
			RecordFormat format = (properties.getRecordFormat() == RelayProperties.RecordFormat.CLOUDEVENTS)
					? new CloudEventsFormat(Objects.requireNonNullElse(properties.getCloudevents().getSource(), ""))
					: RecordFormat.PLAIN;
			return new OutboxRecordMapper(template, jsonMapper.getIfAvailable(JsonMapper::new), format);
		}
		catch (IllegalArgumentException ex) {
			throw new RelayStartupException(ex.getMessage(), ex);
		}
	}

	@Bean(destroyMethod = "close")
	KafkaEventSink kafkaEventSink(ProducerFactory<?, ?> producerFactory, RelayProperties properties,
			MeterRegistry registry) {
		Map<String, Object> config = ProducerSettings.of(producerFactory.getConfigurationProperties());
		KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config);
		KafkaEventSink sink = new KafkaEventSink(producer, properties.getLiveFlushInterval(),
				properties.getDeadLetterTopic());
		// The relay builds its producer itself (Boot binds only factory-made ones): kafka.producer.*
		KafkaClientMetrics clientMetrics = new KafkaClientMetrics(producer);
		clientMetrics.bindTo(registry);
		sink.closeWithProducer(clientMetrics);
		return sink;
	}

	@Bean(destroyMethod = "close")
	KafkaSlotHistory kafkaSlotHistory(RelayProperties properties, ProducerFactory<?, ?> producerFactory,
			ConsumerFactory<?, ?> consumerFactory, KafkaAdmin kafkaAdmin) {
		return new KafkaSlotHistory(properties.getSlotHistoryTopic(),
				ProducerSettings.of(producerFactory.getConfigurationProperties()),
				consumerFactory.getConfigurationProperties(), kafkaAdmin.getConfigurationProperties(),
				properties.getKafkaStartupTimeout());
	}

	@Bean
	RelayMetrics relayMetrics(MeterRegistry registry, RelayStatus status, KafkaEventSink sink) {
		return new RelayMetrics(registry, status, sink::deadLettered);
	}

	@Bean(destroyMethod = "close")
	SlotReader slotReader(ConnectionSettings settings, RelayProperties properties) {
		return new SlotReader(settings, properties.getSlotName());
	}

	@Bean
	SlotMetrics slotMetrics(SlotReader slotReader, RelayProperties properties, MeterRegistry registry) {
		return new SlotMetrics(slotReader, properties.getSlotName(), registry);
	}

	@Bean
	RelayPipeline relayPipeline(RelayProperties properties, ReplicationSetup setup, ConnectionSettings settings,
			KafkaEventSink sink, OutboxRecordMapper mapper, KafkaAdmin kafkaAdmin, RelayStatus status,
			RelayMetrics metrics, KafkaSlotHistory slotHistory) {
		Duration timeout = properties.getReplicationTimeout();
		boolean tooShort = !timeout.isZero() && timeout.compareTo(properties.getStatusInterval().multipliedBy(2)) < 0;
		if (timeout.isNegative() || tooShort) {
			throw new RelayStartupException("outbox.relay.replication-timeout (" + timeout + ") must be at least twice "
					+ "outbox.relay.status-interval (" + properties.getStatusInterval() + "), since the server is heard "
					+ "only in reply to a status update; raise it, or set it to 0 to turn the check off");
		}
		TopicProvisioner topics = properties.getTopics().isCreate()
				? new TopicProvisioner(Admin.create(kafkaAdmin.getConfigurationProperties()),
						properties.getTopics().getPartitions(), properties.getTopics().getReplicationFactor())
				: null;
		return new RelayPipeline(properties, setup, settings, sink, mapper, topics, status, metrics,
				slotHistory);
	}

	@Bean
	RelayLifecycle relayLifecycle(RelayPipeline pipeline, ReplicationSetup setup, RelayStatus status,
			RelayProperties properties, KafkaAdmin kafkaAdmin, SlotMetrics slotMetrics, KafkaSlotHistory slotHistory) {
		return new RelayLifecycle(pipeline, setup, status, properties, kafkaAdmin.getConfigurationProperties(),
				slotMetrics, slotHistory);
	}

	@Bean("outboxRelay")
	OutboxRelayHealthIndicator outboxRelayHealthIndicator(RelayStatus status, SlotReader slotReader,
			RelayProperties properties) {
		return new OutboxRelayHealthIndicator(status, slotReader, properties);
	}

	@Bean("outboxRelayReadiness")
	RelayReadinessHealthIndicator outboxRelayReadinessHealthIndicator(RelayStatus status) {
		return new RelayReadinessHealthIndicator(status);
	}

}
