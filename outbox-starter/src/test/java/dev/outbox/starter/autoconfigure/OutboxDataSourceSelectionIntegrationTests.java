package dev.outbox.starter.autoconfigure;

import java.util.Map;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.IllegalTransactionStateException;
import org.springframework.transaction.support.TransactionTemplate;

import dev.outbox.starter.Outbox;
import dev.outbox.starter.OutboxEventTypes;
import dev.outbox.starter.inbox.Inbox;
import dev.outbox.testsupport.PostgresTest;
import dev.outbox.testsupport.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Which DataSource the outbox uses when the application has several: the one named by
 * {@code outbox.datasource}, else the {@code @Primary} one; with neither, startup fails naming
 * the candidates and the property. The outbox never switches itself off because of a second
 * DataSource: {@code @OutboxEvent} methods would then publish nothing.
 */
@PostgresTest
class OutboxDataSourceSelectionIntegrationTests {

	private final TestDatabase orders;

	private final TestDatabase reporting;

	private final ApplicationContextRunner contextRunner;

	OutboxDataSourceSelectionIntegrationTests(TestDatabase database) {
		// Fresh databases for each test: which one holds the tables is what the tests check.
		this.orders = database.server().createDatabase("orders");
		this.reporting = database.server().createDatabase("reporting");
		this.contextRunner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(OutboxAutoConfiguration.class,
					OutboxHealthContributorAutoConfiguration.class, InboxAutoConfiguration.class,
					TransactionAutoConfiguration.class))
			.withBean(OutboxEventTypes.class,
					() -> OutboxEventTypes.of((types) -> types.declare("OrderPlaced", Map.class)))
			.withPropertyValues("outbox.write-mode=retain", "outbox.contract.registry.enabled=false");
	}

	@Test
	void twoDataSourcesWithoutPrimaryOrSettingFailStartupNamingTheCandidatesAndTheProperty() {
		this.contextRunner.withBean("ordersDataSource", DataSource.class, this.orders::dataSource)
			.withBean("reportingDataSource", DataSource.class, this.reporting::dataSource)
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context).getFailure()
					.rootCause()
					.isInstanceOf(AmbiguousOutboxDataSourceException.class)
					.hasMessageContaining("ordersDataSource")
					.hasMessageContaining("reportingDataSource")
					.hasMessageContaining("outbox.datasource");
			});
	}

	@Test
	void namedDataSourceCarriesTheMigrationTheWritesAndTheInbox() {
		this.contextRunner.withBean("ordersDataSource", DataSource.class, this.orders::dataSource,
				(definition) -> definition.setPrimary(true))
			.withBean("reportingDataSource", DataSource.class, this.reporting::dataSource)
			.withPropertyValues("outbox.datasource=reportingDataSource")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				DataSource named = context.getBean("reportingDataSource", DataSource.class);
				assertThat(context.getBean(OutboxDataSource.class).dataSource()).isSameAs(named);
				assertThat(tableExists(this.reporting, "outbox_event")).isTrue();
				assertThat(tableExists(this.reporting, "inbox_event")).isTrue();
				assertThat(tableExists(this.orders, "outbox_event")).isFalse();

				new TransactionTemplate(new DataSourceTransactionManager(named)).executeWithoutResult((status) -> {
					context.getBean(Outbox.class).publish("order", "1", "OrderPlaced", Map.of("id", 1));
					context.getBean(Inbox.class).applyOnce("reports", "event-1", () -> {
					});
				});
				assertThat(count(this.reporting, "outbox_event")).isEqualTo(1);
				assertThat(count(this.reporting, "inbox_event")).isEqualTo(1);
			});
	}

	@Test
	void publishingUnderThePrimaryDataSourcesTransactionIsRefusedWhenTheOutboxUsesAnother() {
		this.contextRunner.withBean("ordersDataSource", DataSource.class, this.orders::dataSource,
				(definition) -> definition.setPrimary(true))
			.withBean("reportingDataSource", DataSource.class, this.reporting::dataSource)
			.withPropertyValues("outbox.datasource=reportingDataSource")
			.run((context) -> {
				DataSource primary = context.getBean("ordersDataSource", DataSource.class);
				DataSource named = context.getBean("reportingDataSource", DataSource.class);
				assertThatExceptionOfType(IllegalTransactionStateException.class)
					.isThrownBy(() -> new TransactionTemplate(new DataSourceTransactionManager(primary))
						.executeWithoutResult((status) -> {
							new JdbcTemplate(named).queryForObject("SELECT 1", Integer.class);
							context.getBean(Outbox.class).publish("order", "2", "OrderPlaced", Map.of("id", 2));
						}))
					.withMessageContaining("auto-commit");
				assertThat(count(this.reporting, "outbox_event")).isZero();
			});
	}

	@Test
	void primaryDataSourceIsTheOutboxsWithoutTheSetting() {
		this.contextRunner.withBean("ordersDataSource", DataSource.class, this.orders::dataSource,
				(definition) -> definition.setPrimary(true))
			.withBean("reportingDataSource", DataSource.class, this.reporting::dataSource)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(OutboxDataSource.class).beanName()).isEqualTo("ordersDataSource");
				assertThat(tableExists(this.orders, "outbox_event")).isTrue();
				assertThat(tableExists(this.reporting, "outbox_event")).isFalse();
			});
	}

	@Test
	void settingThatNamesNoDataSourceFailsStartupNamingTheCandidates() {
		this.contextRunner.withBean("ordersDataSource", DataSource.class, this.orders::dataSource)
			.withPropertyValues("outbox.datasource=reportDataSource")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(AmbiguousOutboxDataSourceException.class)
				.hasMessageContaining("outbox.datasource")
				.hasMessageContaining("reportDataSource")
				.hasMessageContaining("ordersDataSource"));
	}

	private static boolean tableExists(TestDatabase database, String table) {
		return Boolean.TRUE.equals(new JdbcTemplate(database.dataSource())
			.queryForObject("SELECT to_regclass(?) IS NOT NULL", Boolean.class, "public." + table));
	}

	private static int count(TestDatabase database, String table) {
		Integer count = new JdbcTemplate(database.dataSource()).queryForObject("SELECT count(*) FROM " + table,
				Integer.class);
		return (count != null) ? count : -1;
	}

}
