package dev.outbox.starter.autoconfigure;

import java.time.Duration;
import java.util.List;

import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.outbox.contract.TableName;
import dev.outbox.starter.Outbox;
import dev.outbox.starter.inbox.Inbox;
import dev.outbox.starter.inbox.InboxCleanup;
import dev.outbox.starter.inbox.InboxMetrics;
import dev.outbox.starter.inbox.JdbcInbox;
import dev.outbox.starter.inbox.MicrometerInboxMetrics;
import dev.outbox.starter.inbox.kafka.InboxListenerAnnotationBeanPostProcessor;
import dev.outbox.testsupport.PostgresTest;
import dev.outbox.testsupport.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.Mockito.mock;

/**
 * {@link InboxAutoConfiguration} and the inbox part of the migration: on, off, overridden,
 * without Kafka or Micrometer, and rejecting bad properties.
 */
@PostgresTest
class InboxAutoConfigurationIntegrationTests {

	private final TestDatabase database;

	private final ApplicationContextRunner contextRunner;

	InboxAutoConfigurationIntegrationTests(TestDatabase database) {
		this.database = database;
		this.contextRunner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(OutboxAutoConfiguration.class, InboxAutoConfiguration.class,
					TransactionAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class))
			.withBean(DataSource.class, database::dataSource);
	}

	@Test
	void defaultConfigurationProvidesTheInboxItsCleanupAndListenerSupportAndMigratesItsTable() {
		this.contextRunner.run((context) -> {
			assertThat(context).getBean(Inbox.class).isInstanceOf(JdbcInbox.class);
			assertThat(context).hasSingleBean(InboxCleanup.class);
			assertThat(context.getBean(InboxCleanup.class).isRunning()).isTrue();
			assertThat(context).hasSingleBean(InboxListenerAnnotationBeanPostProcessor.class);
			assertThat(context).doesNotHaveBean(InboxMetrics.class);
			assertThat(regclass("public.inbox_event")).isTrue();
		});
	}

	@Test
	void withAMeterRegistryTheInboxCountsInIt() {
		this.contextRunner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.run((context) -> assertThat(context).getBean(InboxMetrics.class).isInstanceOf(MicrometerInboxMetrics.class));
	}

	@Test
	void inboxDisabledConfiguresNoInboxAndMigratesNoInboxTableButKeepsTheOutbox() {
		this.contextRunner
			.withPropertyValues("outbox.inbox.enabled=false", "outbox.table=noinbox.outbox_event",
					"outbox.inbox.table=noinbox.inbox_event")
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.run((context) -> {
				assertThat(context).doesNotHaveBean(Inbox.class);
				assertThat(context).doesNotHaveBean(InboxCleanup.class);
				assertThat(context).doesNotHaveBean(InboxMetrics.class);
				assertThat(context).doesNotHaveBean(InboxListenerAnnotationBeanPostProcessor.class);
				assertThat(context).hasSingleBean(Outbox.class);
				assertThat(regclass("noinbox.outbox_event")).isTrue();
				assertThat(regclass("noinbox.inbox_event")).isFalse();
			});
	}

	@Test
	void outboxDisabledTurnsTheInboxOffToo() {
		this.contextRunner.withPropertyValues("outbox.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(Inbox.class)
				.doesNotHaveBean(InboxCleanup.class)
				.doesNotHaveBean(InboxListenerAnnotationBeanPostProcessor.class));
	}

	@Test
	void inboxTableNameIsConfigurable() {
		this.contextRunner.withPropertyValues("outbox.table=custom.outbox_event", "outbox.inbox.table=custom.received")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(regclass("custom.received")).isTrue();
				assertThat(regclass("custom.received_processed_at")).isTrue();
			});
	}

	@Test
	void cleanupRunsWithTheConfiguredRetentionAndInterval() {
		JdbcTemplate jdbcTemplate = new JdbcTemplate(this.database.dataSource());
		this.contextRunner
			.withPropertyValues("outbox.table=cleanup.outbox_event", "outbox.inbox.table=cleanup.inbox_event",
					"outbox.inbox.retention=1h", "outbox.inbox.cleanup-interval=100ms")
			.run((context) -> {
				jdbcTemplate.update("INSERT INTO cleanup.inbox_event (consumer, event_id, processed_at) VALUES "
						+ "('c', 'expired', now() - interval '61 minutes'), ('c', 'kept', now() - interval '59 minutes')");
				await().atMost(Duration.ofSeconds(30))
					.until(() -> jdbcTemplate.queryForList("SELECT event_id FROM cleanup.inbox_event", String.class)
						.equals(List.of("kept")));
			});
	}

	@Test
	void userBeansReplaceEveryDefault() {
		Inbox userInbox = (consumer, eventId, work) -> true;
		this.contextRunner.withBean("myInbox", Inbox.class, () -> userInbox)
			.withBean("myCleanup", InboxCleanup.class,
					() -> new InboxCleanup(this.database.dataSource(), TableName.parse("inbox_event", "outbox.inbox.table"),
							Duration.ofDays(1), Duration.ofDays(1), 1))
			.withBean("myMetrics", InboxMetrics.class, () -> mock(InboxMetrics.class))
			.withBean("myPostProcessor", InboxListenerAnnotationBeanPostProcessor.class,
					() -> new InboxListenerAnnotationBeanPostProcessor(mock()))
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.run((context) -> {
				assertThat(context).getBean(Inbox.class).isSameAs(userInbox);
				assertThat(context).getBeanNames(InboxCleanup.class).containsExactly("myCleanup");
				assertThat(context).getBeanNames(InboxMetrics.class).containsExactly("myMetrics");
				assertThat(context).getBeanNames(InboxListenerAnnotationBeanPostProcessor.class)
					.containsExactly("myPostProcessor");
			});
	}

	@Test
	void withoutSpringKafkaTheInboxButNoListenerSupport() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.kafka", "org.apache.kafka"))
			.run((context) -> {
				assertThat(context).hasSingleBean(Inbox.class);
				assertThat(context).hasSingleBean(Outbox.class);
				assertThat(context).doesNotHaveBean(InboxListenerAnnotationBeanPostProcessor.class);
			});
	}

	@Test
	void withoutMicrometerTheInboxCountsNothing() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(MeterRegistry.class)).run((context) -> {
			assertThat(context).hasSingleBean(Inbox.class);
			assertThat(context).doesNotHaveBean(InboxMetrics.class);
		});
	}

	@Test
	void badInboxTableFailsStartupNamingTheProperty() {
		assertStartupFailsOn("outbox.inbox.table", "outbox.inbox.table=Inbox-Event");
	}

	@Test
	void nonPositiveRetentionFailsStartupNamingTheProperty() {
		assertStartupFailsOn("outbox.inbox.retention", "outbox.inbox.retention=0s");
	}

	@Test
	void nonPositiveCleanupIntervalFailsStartupNamingTheProperty() {
		assertStartupFailsOn("outbox.inbox.cleanup-interval", "outbox.inbox.cleanup-interval=-1s");
	}

	@Test
	void cleanupBatchSizeBelowOneFailsStartupNamingTheProperty() {
		assertStartupFailsOn("outbox.inbox.cleanup-batch-size", "outbox.inbox.cleanup-batch-size=0");
	}

	private void assertStartupFailsOn(String property, String... properties) {
		this.contextRunner.withPropertyValues("outbox.flyway.enabled=false").withPropertyValues(properties)
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(InvalidConfigurationPropertyValueException.class)
					.hasMessageContaining("Property " + property + " with value");
			});
	}

	private boolean regclass(String name) {
		return Boolean.TRUE.equals(new JdbcTemplate(this.database.dataSource())
			.queryForObject("SELECT to_regclass(?) IS NOT NULL", Boolean.class, name));
	}

}
