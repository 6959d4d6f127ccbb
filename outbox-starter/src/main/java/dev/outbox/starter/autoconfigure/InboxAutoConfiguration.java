package dev.outbox.starter.autoconfigure;

import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.transaction.PlatformTransactionManager;

import dev.outbox.starter.contract.EventTypeCatalog;
import dev.outbox.starter.inbox.Inbox;
import dev.outbox.starter.inbox.InboxCleanup;
import dev.outbox.starter.inbox.InboxMetrics;
import dev.outbox.starter.inbox.JdbcInbox;
import dev.outbox.starter.inbox.MicrometerInboxMetrics;
import dev.outbox.starter.inbox.kafka.InboxKafkaListenerConfigurer;
import dev.outbox.starter.inbox.kafka.InboxListenerAnnotationBeanPostProcessor;
import dev.outbox.starter.inbox.kafka.InboxPayloadArgumentResolver;

/**
 * Auto-configuration of the inbox on the outbox's {@link OutboxDataSource}: the
 * {@link Inbox} bean, its {@link InboxCleanup}, its counters (with a Micrometer
 * {@code MeterRegistry}) and {@code @InboxListener} (with spring-kafka). Its table is
 * migrated by {@link OutboxAutoConfiguration}. Off with {@code outbox.inbox.enabled=false}
 * or {@code outbox.enabled=false}. Every bean backs off when the application defines its own.
 */
@AutoConfiguration(
		after = { DataSourceAutoConfiguration.class, OutboxAutoConfiguration.class, TransactionAutoConfiguration.class },
		afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass({ JdbcTemplate.class, PlatformTransactionManager.class })
@ConditionalOnBean(DataSource.class)
@ConditionalOnBooleanProperty(name = "outbox.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "outbox.inbox.enabled", matchIfMissing = true)
@EnableConfigurationProperties(OutboxProperties.class)
@Import(OutboxDataSourceConfiguration.class)
public final class InboxAutoConfiguration {

	private final OutboxProperties properties;

	InboxAutoConfiguration(OutboxProperties properties) {
		this.properties = properties;
	}

	@Bean
	@ConditionalOnMissingBean
	@DependsOnDatabaseInitialization
	Inbox inbox(OutboxDataSource outboxDataSource, ObjectProvider<InboxMetrics> metrics) {
		return new JdbcInbox(outboxDataSource.dataSource(), ValidatedOutboxProperties.inboxTable(this.properties),
				metrics.getIfUnique(() -> InboxMetrics.NONE));
	}

	@Bean
	@ConditionalOnMissingBean
	@DependsOnDatabaseInitialization
	@Nullable InboxCleanup inboxCleanup(OutboxDataSource outboxDataSource) {
		return outboxDataSource.ifPostgreSql("the inbox cleanup",
				() -> new InboxCleanup(outboxDataSource.dataSource(),
						ValidatedOutboxProperties.inboxTable(this.properties),
						ValidatedOutboxProperties.inboxRetention(this.properties),
						ValidatedOutboxProperties.inboxCleanupInterval(this.properties),
						ValidatedOutboxProperties.inboxCleanupBatchSize(this.properties)));
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	@ConditionalOnBean(MeterRegistry.class)
	static class MetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		InboxMetrics inboxMetrics(MeterRegistry meterRegistry) {
			return new MicrometerInboxMetrics(meterRegistry);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ KafkaListener.class, ConsumerRecord.class })
	static class KafkaConfiguration {

		@Bean
		@ConditionalOnMissingBean
		static InboxListenerAnnotationBeanPostProcessor inboxListenerAnnotationBeanPostProcessor(
				Environment environment, ObjectProvider<Inbox> inbox) {
			InboxListenerAnnotationBeanPostProcessor processor = new InboxListenerAnnotationBeanPostProcessor(inbox);
			processor.setProxyTargetClass(environment.getProperty("spring.aop.proxy-target-class", Boolean.class, true));
			return processor;
		}

		@Bean
		@ConditionalOnMissingBean
		InboxPayloadArgumentResolver inboxPayloadArgumentResolver(ObjectProvider<EventTypeCatalog> catalog,
				ObjectProvider<JsonMapper> jsonMapper,
				ObjectProvider<InboxListenerAnnotationBeanPostProcessor> listeners) {
			return new InboxPayloadArgumentResolver(catalog, jsonMapper, listeners);
		}

		@Bean
		InboxKafkaListenerConfigurer inboxKafkaListenerConfigurer(InboxPayloadArgumentResolver resolver) {
			return new InboxKafkaListenerConfigurer(resolver);
		}

	}

}
