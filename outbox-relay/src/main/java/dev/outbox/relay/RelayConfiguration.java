package dev.outbox.relay;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.jspecify.annotations.Nullable;
import org.postgresql.Driver;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
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
import dev.outbox.relay.sink.ProducerSettings;
import dev.outbox.relay.sink.TopicProvisioner;
import dev.outbox.relay.slot.KafkaSlotHistory;
import dev.outbox.relay.source.ConnectionSettings;
import dev.outbox.relay.source.RelayStartupException;
import dev.outbox.relay.source.ReplicationSetup;
import dev.outbox.relay.source.Shard;
import dev.outbox.relay.source.SourceSettings;

/**
 * Wires the relay's parts. PostgreSQL comes from Boot's {@code spring.datasource.*} (the same
 * URL and role open the replication connection), or per source from
 * {@code outbox.relay.sources[n].*}; Kafka from Boot's {@code spring.kafka.*}, whose resolved
 * producer and admin configuration (TLS and SASL included) the relay reuses.
 * <p>
 * Each source gets its own producer. A producer is not a neutral pipe between sources: the sink
 * aborts it on a record Kafka rejects for good (to keep the aggregate's order, see
 * {@link KafkaEventSink}), which would stop every source sharing it; and one source's backlog
 * filling a shared buffer, or a shared connection's in-flight requests, would hold back the live
 * events of the others. Order needs nothing shared either: it is per key within one source's stream.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RelayProperties.class)
class RelayConfiguration {

	@Bean(destroyMethod = "close")
	KafkaSlotHistory kafkaSlotHistory(RelayProperties properties, ProducerFactory<?, ?> producerFactory,
			ConsumerFactory<?, ?> consumerFactory, KafkaAdmin kafkaAdmin) {
		return new KafkaSlotHistory(properties.getSlotHistoryTopic(),
				ProducerSettings.of(producerFactory.getConfigurationProperties()),
				consumerFactory.getConfigurationProperties(), kafkaAdmin.getConfigurationProperties(),
				properties.getKafkaStartupTimeout());
	}

	@Bean
	RelayLifecycle relayLifecycle(RelaySources sources, RelayProperties properties, KafkaAdmin kafkaAdmin,
			KafkaSlotHistory slotHistory) {
		return new RelayLifecycle(sources, properties, kafkaAdmin.getConfigurationProperties(), slotHistory);
	}

	@Bean("outboxRelay")
	HealthContributor outboxRelayHealthIndicator(RelaySources sources) {
		return sources.health();
	}

	@Bean("outboxRelayReadiness")
	HealthContributor outboxRelayReadinessHealthIndicator(RelaySources sources) {
		return sources.readiness();
	}

	static OutboxRecordMapper mapper(RelayProperties properties, @Nullable JsonMapper jsonMapper) {
		try {
			TopicTemplate template = new TopicTemplate(properties.getTopicTemplate());
			RecordFormat format = (properties.getRecordFormat() == RelayProperties.RecordFormat.CLOUDEVENTS)
					? new CloudEventsFormat(Objects.requireNonNullElse(properties.getCloudevents().getSource(), ""))
					: RecordFormat.PLAIN;
			return new OutboxRecordMapper(template, (jsonMapper != null) ? jsonMapper : new JsonMapper(), format);
		}
		catch (IllegalArgumentException ex) {
			throw new RelayStartupException(ex.getMessage(), ex);
		}
	}

	static KafkaEventSink sink(Map<String, Object> producerConfig, RelayProperties properties, MeterRegistry registry,
			Tags tags) {
		KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig);
		KafkaEventSink sink = new KafkaEventSink(producer, properties.getLiveFlushInterval(),
				properties.getDeadLetterTopic());
		// The relay builds its producer itself (Boot binds only factory-made ones): kafka.producer.*
		KafkaClientMetrics clientMetrics = new KafkaClientMetrics(producer, tags);
		clientMetrics.bindTo(registry);
		sink.closeWithProducer(clientMetrics);
		return sink;
	}

	/**
	 * @param shardsSetting {@code outbox.relay.sources[n].shards} for a source of the list,
	 * {@code null} for the flat single source
	 */
	static ReplicationSetup setup(DataSource dataSource, RelayProperties properties, @Nullable String shardsSetting,
			@Nullable Shard shard) {
		SourceSettings settings = SourceSettings.of(properties.getTable(), properties.getPublicationName(),
				properties.isCreatePublication(), properties.getSlotName(), properties.isCreateSlot(),
				properties.getSnapshotMode() == RelayProperties.SnapshotMode.INITIAL, properties.isFailoverSlot(),
				shardsSetting);
		return new ReplicationSetup(dataSource, (shard != null) ? settings.forShard(shard) : settings);
	}

	static @Nullable TopicProvisioner topics(RelayProperties properties, KafkaAdmin kafkaAdmin) {
		Duration timeout = properties.getReplicationTimeout();
		boolean tooShort = !timeout.isZero() && timeout.compareTo(properties.getStatusInterval().multipliedBy(2)) < 0;
		if (timeout.isNegative() || tooShort) {
			throw new RelayStartupException("outbox.relay.replication-timeout (" + timeout + ") must be at least twice "
					+ "outbox.relay.status-interval (" + properties.getStatusInterval() + "), since the server is heard "
					+ "only in reply to a status update; raise it, or set it to 0 to turn the check off");
		}
		return properties.getTopics().isCreate()
				? new TopicProvisioner(Admin.create(kafkaAdmin.getConfigurationProperties()),
						properties.getTopics().getPartitions(), properties.getTopics().getReplicationFactor())
				: null;
	}

	/**
	 * The flat settings and {@code spring.datasource.*} as the one source, each part a bean (as
	 * before sources could be listed; the lab's relay variants replace some of them).
	 */
	@Configuration(proxyBeanMethods = false)
	@Conditional(SourceListCondition.Flat.class)
	static class FlatSource {

		@Bean
		RelayStatus relayStatus() {
			return new RelayStatus(Clock.systemUTC());
		}

		@Bean
		ReplicationSetup replicationSetup(DataSource dataSource, RelayProperties properties) {
			return setup(dataSource, properties, null, null);
		}

		@Bean
		ConnectionSettings replicationConnectionSettings(JdbcConnectionDetails details) {
			return new ConnectionSettings(details.getJdbcUrl(), details.getUsername(), details.getPassword());
		}

		@Bean
		OutboxRecordMapper outboxRecordMapper(RelayProperties properties, ObjectProvider<JsonMapper> jsonMapper) {
			return mapper(properties, jsonMapper.getIfAvailable());
		}

		@Bean(destroyMethod = "close")
		KafkaEventSink kafkaEventSink(ProducerFactory<?, ?> producerFactory, RelayProperties properties,
				MeterRegistry registry) {
			return sink(ProducerSettings.of(producerFactory.getConfigurationProperties()), properties, registry,
					Tags.empty());
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
			return new RelayPipeline(properties, setup, settings, sink, mapper, topics(properties, kafkaAdmin), status,
					metrics, slotHistory);
		}

		@Bean
		RelaySources relaySources(RelayProperties properties, ConnectionSettings settings, ReplicationSetup setup,
				RelayPipeline pipeline, RelayStatus status, SlotMetrics slotMetrics, SlotReader slotReader) {
			SourceDefinition flat = SourceDefinitions
				.resolve(properties, settings::jdbcUrl, settings.username(), settings.password())
				.get(0);
			// The parts are beans: they close with the context, not with the source.
			return new RelaySources(List.of(new RelaySource(flat, setup, pipeline, status, slotMetrics,
					new OutboxRelayHealthIndicator(status, slotReader, properties),
					new RelayReadinessHealthIndicator(status), List.of())));
		}

	}

	/**
	 * {@code outbox.relay.sources[n].*}: each source's parts built here, none of them a bean, so
	 * that no two sources share a pipeline, a producer, a state or a connection.
	 */
	@Configuration(proxyBeanMethods = false)
	@Conditional(SourceListCondition.class)
	static class SourceList {

		@Bean(destroyMethod = "close")
		RelaySources relaySources(RelayProperties properties, Environment environment,
				ProducerFactory<?, ?> producerFactory, ObjectProvider<JsonMapper> jsonMapper, KafkaAdmin kafkaAdmin,
				MeterRegistry registry, KafkaSlotHistory slotHistory) {
			List<SourceDefinition> definitions = SourceDefinitions.resolve(properties, () -> "",
					environment.getProperty("spring.datasource.username"),
					environment.getProperty("spring.datasource.password"));
			List<RelaySource> sources = new ArrayList<>();
			for (SourceDefinition definition : definitions) {
				sources.add(build(definition, producerFactory, jsonMapper.getIfAvailable(), kafkaAdmin, registry,
						slotHistory));
			}
			return new RelaySources(sources);
		}

		private static RelaySource build(SourceDefinition definition, ProducerFactory<?, ?> producerFactory,
				@Nullable JsonMapper jsonMapper, KafkaAdmin kafkaAdmin, MeterRegistry registry,
				KafkaSlotHistory slotHistory) {
			RelayProperties properties = definition.properties();
			ConnectionSettings connection = definition.connection();
			Tags tags = Tags.of("source", definition.name());
			SimpleDriverDataSource dataSource = new SimpleDriverDataSource(new Driver(), connection.jdbcUrl(),
					connection.username(), connection.password());
			ReplicationSetup setup = setup(dataSource, properties, definition.prefix() + ".shards", definition.shard());
			Map<String, Object> producerConfig = new HashMap<>(
					ProducerSettings.of(producerFactory.getConfigurationProperties()));
			Object clientId = producerConfig.get(ProducerConfig.CLIENT_ID_CONFIG);
			producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG,
					((clientId != null) ? clientId + "-" : "outbox-relay-") + definition.name());
			KafkaEventSink sink = sink(producerConfig, properties, registry, tags);
			RelayStatus status = new RelayStatus(Clock.systemUTC());
			RelayMetrics metrics = new RelayMetrics(registry, status, sink::deadLettered, tags);
			SlotReader slotReader = new SlotReader(connection, properties.getSlotName());
			SlotMetrics slotMetrics = new SlotMetrics(slotReader, properties.getSlotName(), registry, tags);
			RelayPipeline pipeline = new RelayPipeline(properties, setup, connection, sink,
					mapper(properties, jsonMapper), topics(properties, kafkaAdmin), status, metrics, slotHistory,
					"outbox-relay-reader-" + definition.name());
			return new RelaySource(definition, setup, pipeline, status, slotMetrics,
					new OutboxRelayHealthIndicator(status, slotReader, properties), new RelayReadinessHealthIndicator(status),
					List.of(sink, slotReader));
		}

	}

}
