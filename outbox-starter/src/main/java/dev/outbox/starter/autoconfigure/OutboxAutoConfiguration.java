package dev.outbox.starter.autoconfigure;

import java.util.List;

import javax.sql.DataSource;

import io.micrometer.tracing.Tracer;
import org.flywaydb.core.Flyway;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

import dev.outbox.starter.Outbox;
import dev.outbox.starter.OutboxHeadersContributor;
import dev.outbox.starter.annotation.OutboxEventAnnotationBeanPostProcessor;
import dev.outbox.starter.contract.EventSchemaRegistrar;
import dev.outbox.starter.contract.EventSchemaRegistry;
import dev.outbox.starter.contract.EventSchemaSource;
import dev.outbox.starter.contract.EventSchemaVersions;
import dev.outbox.starter.contract.EventTypeCatalog;
import dev.outbox.starter.contract.PayloadSchemaGenerator;
import dev.outbox.starter.contract.catalog.ApplicationEventTypeCatalog;
import dev.outbox.starter.domain.OutboxDomainEventListener;
import dev.outbox.starter.flyway.OutboxSchemaMigration;
import dev.outbox.starter.retain.OutboxPurge;
import dev.outbox.starter.tracing.TraceparentHeadersContributor;
import dev.outbox.starter.write.DefaultOutbox;
import dev.outbox.starter.write.OutboxCommitListener;
import dev.outbox.starter.write.OutboxEventWriter;
import dev.outbox.starter.write.UnsupportedDatabaseOutbox;

/**
 * Auto-configuration of the transactional outbox on the application's {@link OutboxDataSource}
 * (the DataSource named by {@code outbox.datasource}, else the only or {@code @Primary} one;
 * ambiguity fails startup): the {@link Outbox} bean and its {@link OutboxEventWriter} (in the
 * {@code outbox.write-mode}), the {@link EventTypeCatalog} of the application's event types
 * (which the {@code Outbox} requires every published event type to be in, unless
 * {@code outbox.contract.require-declared-event-types=false}), the {@link OutboxPurge} in {@code retain} mode, the
 * {@code @OutboxEvent} post-processor, the listener for {@code OutboxDomainEvent}s, the
 * {@code traceparent} header (with Micrometer Tracing) and the migration of the outbox and
 * inbox tables (with Flyway, unless {@code outbox.flyway.enabled=false}; the inbox table
 * unless {@code outbox.inbox.enabled=false}), and the event contract: with an
 * {@link EventSchemaSource} bean, the registration of its schemas at startup
 * ({@link EventSchemaRegistrar}, unless {@code outbox.contract.registry.enabled=false}) and the
 * {@link EventSchemaVersions} the outbox stamps events with. Off with {@code outbox.enabled=false}. Every
 * bean backs off when the application defines its own. The inbox itself is configured by
 * {@link InboxAutoConfiguration}.
 * <p>
 * On a DataSource that is not PostgreSQL (a test slice on H2) the application still starts:
 * the migration, the schema registry and the purge are skipped with an INFO line, and the
 * {@code Outbox} refuses every publish naming the reason ({@link UnsupportedDatabaseOutbox}),
 * unless an {@link OutboxCommitListener} (the test kit) captures events instead.
 */
@AutoConfiguration(after = { DataSourceAutoConfiguration.class, TransactionAutoConfiguration.class },
		afterName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
@ConditionalOnClass({ JdbcTemplate.class, PlatformTransactionManager.class })
@ConditionalOnBean(DataSource.class)
@ConditionalOnBooleanProperty(name = "outbox.enabled", matchIfMissing = true)
@EnableConfigurationProperties(OutboxProperties.class)
@Import(OutboxDataSourceConfiguration.class)
public final class OutboxAutoConfiguration {

	private final OutboxProperties properties;

	OutboxAutoConfiguration(OutboxProperties properties) {
		this.properties = properties;
	}

	@Bean
	@ConditionalOnMissingBean
	@DependsOnDatabaseInitialization
	OutboxEventWriter outboxEventWriter(OutboxDataSource outboxDataSource,
			ObjectProvider<OutboxCommitListener> commitListeners) {
		List<OutboxCommitListener> listeners = commitListeners.orderedStream().toList();
		int batchSize = ValidatedOutboxProperties.batchSize(this.properties);
		if (!outboxDataSource.isPostgreSql() && standsInForTheDatabase(listeners)) {
			return OutboxEventWriter.withoutDatabaseWrites(outboxDataSource.dataSource(), batchSize, listeners);
		}
		return new OutboxEventWriter(outboxDataSource.dataSource(), ValidatedOutboxProperties.table(this.properties),
				batchSize, ValidatedOutboxProperties.writeMode(this.properties), listeners);
	}

	@Bean
	@ConditionalOnMissingBean
	@DependsOnDatabaseInitialization
	@Conditional(OnRetainWriteModeCondition.class)
	@Nullable OutboxPurge outboxPurge(OutboxDataSource outboxDataSource) {
		return outboxDataSource.ifPostgreSql("the retain mode's purge",
				() -> new OutboxPurge(outboxDataSource.dataSource(), ValidatedOutboxProperties.table(this.properties),
						ValidatedOutboxProperties.retainRetention(this.properties),
						ValidatedOutboxProperties.retainPurgeInterval(this.properties),
						ValidatedOutboxProperties.retainPurgeBatchSize(this.properties)));
	}

	@Bean
	@ConditionalOnMissingBean(EventTypeCatalog.class)
	ApplicationEventTypeCatalog eventTypeCatalog() {
		return new ApplicationEventTypeCatalog(this.properties.getContract().isRequireDeclaredEventTypes());
	}

	@Bean
	@ConditionalOnMissingBean
	EventSchemaVersions eventSchemaVersions() {
		return EventSchemaVersions.awaitingRegistration();
	}

	/**
	 * The schema of each declared event type, derived from its payload type as the application's
	 * own mapper writes it. An application supplies its own {@link EventSchemaSource} bean to
	 * register hand-written schemas instead.
	 */
	@Bean
	@ConditionalOnMissingBean(EventSchemaSource.class)
	EventSchemaSource eventSchemaSource(EventTypeCatalog eventTypeCatalog, ObjectProvider<JsonMapper> jsonMapper) {
		return new PayloadSchemaGenerator(jsonMapper.getIfUnique(() -> JsonMapper.builder().build()))
			.schemaSource(eventTypeCatalog);
	}

	@Bean
	@ConditionalOnMissingBean
	@DependsOnDatabaseInitialization
	EventSchemaRegistrar eventSchemaRegistrar(OutboxDataSource outboxDataSource,
			ObjectProvider<EventSchemaSource> source, EventSchemaVersions versions) {
		OutboxProperties.Contract contract = this.properties.getContract();
		EventSchemaRegistry registry = contract.getRegistry().isEnabled()
				? outboxDataSource.ifPostgreSql("the schema registry",
						() -> new EventSchemaRegistry(outboxDataSource.dataSource(),
								ValidatedOutboxProperties.eventSchemaTable(this.properties),
								ValidatedOutboxProperties.compatibility(this.properties),
								ValidatedOutboxProperties.compatibilityOverrides(this.properties)))
				: null;
		return new EventSchemaRegistrar(source, registry, versions);
	}

	@Bean
	@ConditionalOnMissingBean
	Outbox outbox(OutboxDataSource outboxDataSource, OutboxEventWriter outboxEventWriter,
			ObjectProvider<JsonMapper> jsonMapper, ObjectProvider<OutboxHeadersContributor> headersContributors,
			ObjectProvider<OutboxCommitListener> commitListeners, EventTypeCatalog eventTypeCatalog,
			EventSchemaVersions schemaVersions) {
		if (!outboxDataSource.isPostgreSql() && !standsInForTheDatabase(commitListeners.orderedStream().toList())) {
			return new UnsupportedDatabaseOutbox(outboxDataSource.notPostgreSqlReason());
		}
		OutboxProperties.Contract contract = this.properties.getContract();
		return new DefaultOutbox(outboxEventWriter, jsonMapper.getIfUnique(() -> JsonMapper.builder().build()),
				headersContributors.orderedStream().toList(), ValidatedOutboxProperties.maxPayloadSize(this.properties),
				ValidatedOutboxProperties.maxHeaderSize(this.properties),
				contract.isRequireDeclaredEventTypes() ? eventTypeCatalog : null, schemaVersions,
				contract.isValidatePayloads());
	}

	private static boolean standsInForTheDatabase(List<OutboxCommitListener> listeners) {
		return listeners.stream().anyMatch(OutboxCommitListener::capturesWithoutDatabase);
	}

	@Bean
	@ConditionalOnMissingBean
	static OutboxEventAnnotationBeanPostProcessor outboxEventAnnotationBeanPostProcessor(Environment environment,
			ObjectProvider<Outbox> outbox) {
		OutboxEventAnnotationBeanPostProcessor processor = new OutboxEventAnnotationBeanPostProcessor(outbox);
		processor.setProxyTargetClass(environment.getProperty("spring.aop.proxy-target-class", Boolean.class, true));
		return processor;
	}

	@Bean
	@ConditionalOnMissingBean
	OutboxDomainEventListener outboxDomainEventListener(Outbox outbox) {
		return new OutboxDomainEventListener(outbox);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(Tracer.class)
	static class TracingConfiguration {

		@Bean
		@ConditionalOnMissingBean
		TraceparentHeadersContributor traceparentHeadersContributor(ObjectProvider<Tracer> tracer) {
			return new TraceparentHeadersContributor(tracer);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(Flyway.class)
	@ConditionalOnBooleanProperty(name = "outbox.flyway.enabled", matchIfMissing = true)
	static class FlywayConfiguration {

		/**
		 * The migration, as the role {@link MigrationDataSource} picks; none on a database that is
		 * not PostgreSQL.
		 */
		@Bean
		@ConditionalOnMissingBean
		@Nullable OutboxSchemaMigration outboxSchemaMigration(OutboxDataSource outboxDataSource,
				OutboxProperties properties, Environment environment) {
			return outboxDataSource.ifPostgreSql("the outbox table migration",
					() -> new OutboxSchemaMigration(
							MigrationDataSource.of(outboxDataSource, properties.getFlyway(), environment),
							outboxDataSource.dataSource(), ValidatedOutboxProperties.table(properties),
							ValidatedOutboxProperties.migratedInboxTable(properties),
							ValidatedOutboxProperties.historyTable(properties),
							ValidatedOutboxProperties.writeMode(properties),
							ValidatedOutboxProperties.eventSchemaTable(properties)));
		}

	}

}
