package dev.outbox.starter.autoconfigure;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.event.SimpleApplicationEventMulticaster;
import org.springframework.context.support.AbstractApplicationContext;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.outbox.contract.TableName;
import dev.outbox.starter.InvalidOutboxEventException;
import dev.outbox.starter.LogicalSlot;
import dev.outbox.starter.LogicalSlot.Change;
import dev.outbox.starter.Outbox;
import dev.outbox.starter.OutboxDomainEvent;
import dev.outbox.starter.OutboxEventTypes;
import dev.outbox.starter.OutboxHeadersContributor;
import dev.outbox.starter.annotation.OutboxEventAnnotationBeanPostProcessor;
import dev.outbox.starter.contract.EventTypeCatalog;
import dev.outbox.starter.contract.catalog.ApplicationEventTypeCatalog;
import dev.outbox.starter.domain.OutboxDomainEventListener;
import dev.outbox.starter.flyway.OutboxSchemaMigration;
import dev.outbox.starter.health.ReplicationSlotHealthIndicator;
import dev.outbox.starter.retain.OutboxPurge;
import dev.outbox.starter.tracing.TraceparentHeadersContributor;
import dev.outbox.starter.write.DefaultOutbox;
import dev.outbox.starter.write.OutboxEventWriter;
import dev.outbox.starter.write.OutboxWriteMode;
import dev.outbox.testsupport.PostgresTest;
import dev.outbox.testsupport.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * {@link OutboxAutoConfiguration} and {@link OutboxHealthContributorAutoConfiguration}: on,
 * off, overridden, and rejecting bad properties.
 */
@PostgresTest
class OutboxAutoConfigurationIntegrationTests {

	private final TestDatabase database;

	private final ApplicationContextRunner contextRunner;

	OutboxAutoConfigurationIntegrationTests(TestDatabase database) {
		this.database = database;
		this.contextRunner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(OutboxAutoConfiguration.class,
					OutboxHealthContributorAutoConfiguration.class, TransactionAutoConfiguration.class,
					DataSourceTransactionManagerAutoConfiguration.class))
			.withBean(DataSource.class, database::dataSource)
			.withBean("testEventTypes", OutboxEventTypes.class,
					() -> OutboxEventTypes.of((types) -> types.declare("CustomerRegistered", Registered.class)
						.declare("Renamed", Renamed.class)))
			// Without the migration the registry's table is missing (EventSchemaRegistryIntegrationTests
			// covers the registry); the tests that run the migration register as a service does.
			.withPropertyValues("outbox.flyway.enabled=false", "outbox.contract.registry.enabled=false");
	}

	@Test
	void defaultConfigurationProvidesEveryBean() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(OutboxEventWriter.class);
			assertThat(context).getBean(Outbox.class).isInstanceOf(DefaultOutbox.class);
			assertThat(context).getBean(EventTypeCatalog.class).isInstanceOf(ApplicationEventTypeCatalog.class);
			assertThat(context).hasSingleBean(OutboxEventAnnotationBeanPostProcessor.class);
			assertThat(context).hasSingleBean(OutboxDomainEventListener.class);
			assertThat(context).hasSingleBean(TraceparentHeadersContributor.class);
			assertThat(context).hasBean("outboxHealthIndicator");
			assertThat(context).getBean("outboxHealthIndicator").isInstanceOf(ReplicationSlotHealthIndicator.class);
			assertThat(context).doesNotHaveBean(OutboxSchemaMigration.class);
		});
	}

	@Test
	void outboxDisabledConfiguresNothing() {
		this.contextRunner.withPropertyValues("outbox.enabled=false", "outbox.flyway.enabled=true").run((context) -> {
			assertThat(context).doesNotHaveBean(Outbox.class);
			assertThat(context).doesNotHaveBean(EventTypeCatalog.class);
			assertThat(context).doesNotHaveBean(OutboxEventWriter.class);
			assertThat(context).doesNotHaveBean(OutboxEventAnnotationBeanPostProcessor.class);
			assertThat(context).doesNotHaveBean(OutboxDomainEventListener.class);
			assertThat(context).doesNotHaveBean(OutboxSchemaMigration.class);
			assertThat(context).doesNotHaveBean("outboxHealthIndicator");
		});
	}

	@Test
	void withoutDataSourceNothingIsConfigured() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(OutboxAutoConfiguration.class,
					OutboxHealthContributorAutoConfiguration.class))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(Outbox.class);
				assertThat(context).doesNotHaveBean("outboxHealthIndicator");
			});
	}

	@Test
	void userOutboxReplacesTheDefault() {
		Outbox userOutbox = (type, id, event, payload, headers) -> {
		};
		this.contextRunner.withBean(Outbox.class, () -> userOutbox).run((context) -> {
			assertThat(context).getBean(Outbox.class).isSameAs(userOutbox);
			assertThat(context).hasSingleBean(OutboxDomainEventListener.class);
		});
	}

	@Test
	void userBeansReplaceEveryOtherDefault() {
		TableName table = TableName.parse("outbox_event", "outbox.table");
		this.contextRunner.withPropertyValues("outbox.flyway.enabled=true")
			.withBean("myWriter", OutboxEventWriter.class, () -> new OutboxEventWriter(this.database.dataSource(), table, 1))
			.withBean("myPostProcessor", OutboxEventAnnotationBeanPostProcessor.class,
					() -> new OutboxEventAnnotationBeanPostProcessor(mock()))
			.withBean("myListener", OutboxDomainEventListener.class, () -> new OutboxDomainEventListener(mock()))
			.withBean("myContributor", TraceparentHeadersContributor.class,
					() -> new TraceparentHeadersContributor(mock()))
			.withBean("myMigration", OutboxSchemaMigration.class,
					() -> new OutboxSchemaMigration(this.database.dataSource(), table, null,
							"outbox_schema_history"))
			.withBean("outboxHealthIndicator", HealthIndicator.class, () -> mock(HealthIndicator.class))
			.run((context) -> {
				assertThat(context).getBeanNames(OutboxEventWriter.class).containsExactly("myWriter");
				assertThat(context).getBeanNames(OutboxEventAnnotationBeanPostProcessor.class)
					.containsExactly("myPostProcessor");
				assertThat(context).getBeanNames(OutboxDomainEventListener.class).containsExactly("myListener");
				assertThat(context).getBeanNames(TraceparentHeadersContributor.class).containsExactly("myContributor");
				assertThat(context).getBeanNames(OutboxSchemaMigration.class).containsExactly("myMigration");
				assertThat(context).getBeanNames(HealthIndicator.class).containsExactly("outboxHealthIndicator");
				assertThat(context).doesNotHaveBean(ReplicationSlotHealthIndicator.class);
			});
	}

	@Test
	void flywayEnabledByDefaultCreatesTheTableAtStartup() {
		this.contextRunner.withPropertyValues("outbox.flyway.enabled=true", "outbox.table=autoconfig.outbox_event")
			.run((context) -> {
				assertThat(context).hasSingleBean(OutboxSchemaMigration.class);
				assertThat(new JdbcTemplate(this.database.dataSource())
					.queryForObject("SELECT to_regclass('autoconfig.outbox_event') IS NOT NULL", Boolean.class))
					.isTrue();
			});
	}

	@Test
	void withoutFlywayOnTheClasspathNoMigrationButEverythingElse() {
		this.contextRunner.withPropertyValues("outbox.flyway.enabled=true")
			.withClassLoader(new FilteredClassLoader(Flyway.class))
			.run((context) -> {
				assertThat(context).doesNotHaveBean(OutboxSchemaMigration.class);
				assertThat(context).hasSingleBean(Outbox.class);
			});
	}

	@Test
	void withoutMicrometerTracingNoTraceparentContributor() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(Tracer.class)).run((context) -> {
			assertThat(context).doesNotHaveBean(TraceparentHeadersContributor.class);
			assertThat(context).hasSingleBean(Outbox.class);
		});
	}

	@Test
	void withoutSpringBootHealthNoHealthIndicator() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(HealthIndicator.class)).run((context) -> {
			assertThat(context).doesNotHaveBean("outboxHealthIndicator");
			assertThat(context).hasSingleBean(Outbox.class);
		});
	}

	@Test
	void healthIndicatorCanBeDisabledLikeAnyOther() {
		this.contextRunner.withPropertyValues("management.health.outbox.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("outboxHealthIndicator"));
	}

	@Test
	void outboxSerializesWithTheApplicationsJsonMapperAndAddsTraceparentOfTheCurrentSpan() throws SQLException {
		TraceContext traceContext = mock();
		given(traceContext.traceId()).willReturn("4bf92f3577b34da6a3ce929d0e0e4736");
		given(traceContext.spanId()).willReturn("00f067aa0ba902b7");
		given(traceContext.sampled()).willReturn(true);
		Span span = mock();
		given(span.context()).willReturn(traceContext);
		Tracer tracer = mock();
		given(tracer.currentSpan()).willReturn(span);
		try (LogicalSlot slot = LogicalSlot.create(this.database)) {
			this.contextRunner.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class))
				.withPropertyValues("outbox.flyway.enabled=true", "spring.jackson.property-naming-strategy=SNAKE_CASE")
				.withBean(Tracer.class, () -> tracer)
				.run((context) -> new TransactionTemplate(context.getBean(PlatformTransactionManager.class))
					.executeWithoutResult((status) -> context.getBean(Outbox.class)
						.publish("Customer", "c-1", "CustomerRegistered", new Registered("c-1", "Ada"),
								Map.of("tenant", "acme"))));

			Change event = slot.take()
				.stream()
				.filter((change) -> change.summary().equals("INSERT public.outbox_event"))
				.findFirst()
				.orElseThrow();
			assertThat(event.column("payload")).isEqualTo("{\"name\": \"Ada\", \"customer_id\": \"c-1\"}");
			assertThat(event.column("headers")).isEqualTo("{\"tenant\": \"acme\", "
					+ "\"traceparent\": \"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\"}");
		}
	}

	@Test
	void domainEventIsWrittenOnThePublishingThreadEvenWithAnAsynchronousEventMulticaster() throws SQLException {
		SimpleApplicationEventMulticaster multicaster = new SimpleApplicationEventMulticaster();
		multicaster.setTaskExecutor(new SimpleAsyncTaskExecutor());
		try (LogicalSlot slot = LogicalSlot.create(this.database)) {
			this.contextRunner.withPropertyValues("outbox.flyway.enabled=true")
				.withBean(AbstractApplicationContext.APPLICATION_EVENT_MULTICASTER_BEAN_NAME,
						SimpleApplicationEventMulticaster.class, () -> multicaster)
				.run((context) -> new TransactionTemplate(context.getBean(PlatformTransactionManager.class))
					.executeWithoutResult((status) -> context.publishEvent(new Renamed("c-2", "Bea"))));

			List<Change> events = slot.take()
				.stream()
				.filter((change) -> change.table().equals("public.outbox_event"))
				.toList();
			assertThat(events).extracting(Change::summary)
				.containsExactly("INSERT public.outbox_event", "DELETE public.outbox_event");
			assertThat(events.get(0).column("aggregate_id")).isEqualTo("c-2");
		}
	}

	@Test
	void contributorAddingReservedHeaderIsRejectedNamingItAndWritesNothing() throws SQLException {
		try (LogicalSlot slot = LogicalSlot.create(this.database)) {
			this.contextRunner.withPropertyValues("outbox.flyway.enabled=true", "outbox.batch-size=1")
				.withBean(ReservedNameContributor.class)
				.run((context) -> assertThatExceptionOfType(InvalidOutboxEventException.class)
					.isThrownBy(() -> new TransactionTemplate(context.getBean(PlatformTransactionManager.class))
						.executeWithoutResult((status) -> context.getBean(Outbox.class)
							.publish("Customer", "c-3", "CustomerRegistered", Map.of())))
					.withMessageContaining("OutboxHeadersContributor " + ReservedNameContributor.class.getName())
					.withMessageContaining("Header name 'ID' is reserved"));

			assertThat(slot.take()).noneMatch((change) -> change.table().equals("public.outbox_event"));
		}
	}

	@Test
	void badTableNameFailsStartupNamingTheProperty() {
		assertStartupFailsOn("outbox.table", "outbox.table=Public.Outbox-Event");
	}

	@Test
	void writeModeIsTableByDefaultWithoutPurge() {
		this.contextRunner.run((context) -> {
			assertThat(context).getBean(OutboxProperties.class)
				.extracting(OutboxProperties::getWriteMode)
				.isEqualTo(OutboxWriteMode.TABLE);
			assertThat(context).doesNotHaveBean(OutboxPurge.class);
		});
	}

	@Test
	void messageWriteModeHasNoPurge() {
		this.contextRunner.withPropertyValues("outbox.write-mode=message").run((context) -> {
			assertThat(context).hasSingleBean(OutboxEventWriter.class);
			assertThat(context).getBean(OutboxProperties.class)
				.extracting(OutboxProperties::getWriteMode)
				.isEqualTo(OutboxWriteMode.MESSAGE);
			assertThat(context).doesNotHaveBean(OutboxPurge.class);
		});
	}

	@Test
	void retainWriteModeAddsThePurgeWhateverTheCaseOfTheValue() {
		this.contextRunner.withPropertyValues("outbox.write-mode=RETAIN", "outbox.retain.purge-interval=1h")
			.run((context) -> assertThat(context).hasSingleBean(OutboxPurge.class));
	}

	@Test
	void unknownWriteModeFailsStartupNamingThePropertyAndTheModes() {
		this.contextRunner.withPropertyValues("outbox.write-mode=rows").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasStackTraceContaining("outbox.write-mode")
				.hasStackTraceContaining("rows")
				.hasStackTraceContaining(OutboxWriteMode.class.getName());
		});
	}

	@Test
	void nonPositiveRetentionFailsStartupNamingThePropertyInRetainMode() {
		assertStartupFailsOn("outbox.retain.retention", "outbox.write-mode=retain", "outbox.retain.retention=0s");
	}

	@Test
	void purgeBatchSizeBelowOneFailsStartupNamingThePropertyInRetainMode() {
		assertStartupFailsOn("outbox.retain.purge-batch-size", "outbox.write-mode=retain",
				"outbox.retain.purge-batch-size=0");
	}

	@Test
	void batchSizeBelowOneFailsStartupNamingTheProperty() {
		assertStartupFailsOn("outbox.batch-size", "outbox.batch-size=0");
	}

	@Test
	void nonPositivePayloadLimitFailsStartupNamingTheProperty() {
		assertStartupFailsOn("outbox.max-payload-size", "outbox.max-payload-size=0");
	}

	@Test
	void criticalThresholdNotAboveWarningFailsStartupNamingTheProperty() {
		assertStartupFailsOn("outbox.health.retained-wal-critical", "outbox.health.retained-wal-warning=2GB",
				"outbox.health.retained-wal-critical=1GB");
	}

	@Test
	void badHistoryTableFailsStartupNamingTheProperty() {
		assertStartupFailsOn("outbox.flyway.history-table", "outbox.flyway.enabled=true",
				"outbox.flyway.history-table=history; drop table x");
	}

	private void assertStartupFailsOn(String property, String... properties) {
		this.contextRunner.withPropertyValues(properties).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("Property " + property + " with value");
		});
	}

	/**
	 * A contributor that sets a header the relay writes itself.
	 */
	static class ReservedNameContributor implements OutboxHeadersContributor {

		@Override
		public void contribute(Map<String, String> headers) {
			headers.put("ID", "mine");
		}

	}

	/**
	 * A payload whose property names show the application's naming strategy.
	 *
	 * @param customerId the customer id
	 * @param name the name
	 */
	record Registered(String customerId, String name) {
	}

	/**
	 * An outbox domain event.
	 *
	 * @param customerId the customer id
	 * @param name the new name
	 */
	record Renamed(String customerId, String name) implements OutboxDomainEvent {

		@Override
		public String aggregateType() {
			return "Customer";
		}

		@Override
		public String aggregateId() {
			return this.customerId;
		}

	}

}
