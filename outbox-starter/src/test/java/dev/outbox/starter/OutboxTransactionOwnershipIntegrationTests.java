package dev.outbox.starter;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Map;

import javax.sql.DataSource;

import com.arjuna.ats.arjuna.common.ObjectStoreEnvironmentBean;
import com.arjuna.common.internal.util.propertyservice.BeanPopulator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.IllegalTransactionStateException;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.jta.JtaTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.outbox.starter.LogicalSlot.Change;
import dev.outbox.starter.autoconfigure.OutboxAutoConfiguration;
import dev.outbox.testsupport.PostgresTest;
import dev.outbox.testsupport.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * An event is written only in a transaction that owns the connection of the outbox's
 * DataSource. Under the transaction manager of another DataSource, or under JTA with a
 * DataSource that is not XA, Spring still binds a connection of the outbox's DataSource to
 * the transaction, but in auto-commit: a write on it would commit on its own, even when the
 * business transaction rolls back. Publishing there is refused and nothing reaches the WAL.
 */
@PostgresTest
class OutboxTransactionOwnershipIntegrationTests {

	private final TestDatabase database;

	private final ApplicationContextRunner contextRunner;

	OutboxTransactionOwnershipIntegrationTests(TestDatabase database) {
		this.database = database;
		this.contextRunner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(OutboxAutoConfiguration.class, TransactionAutoConfiguration.class))
			.withBean("outboxDataSource", DataSource.class, database::dataSource,
					(definition) -> definition.setPrimary(true))
			.withBean("otherDataSource", DataSource.class, database::dataSource)
			.withUserConfiguration(TwoTransactionManagers.class)
			.withBean(OutboxEventTypes.class,
					() -> OutboxEventTypes.of((types) -> types.declare("OrderPlaced", Map.class)))
			.withPropertyValues("outbox.batch-size=1");
	}

	@BeforeAll
	static void createTableAndKeepJtaLogsInTarget(TestDatabase database) {
		new JdbcTemplate(database.dataSource()).execute("CREATE TABLE business (id bigint PRIMARY KEY)");
		String store = Path.of("target", "narayana").toAbsolutePath().toString();
		BeanPopulator.getDefaultInstance(ObjectStoreEnvironmentBean.class).setObjectStoreDir(store);
		BeanPopulator.getNamedInstance(ObjectStoreEnvironmentBean.class, "communicationStore")
			.setObjectStoreDir(store);
	}

	@Test
	void publishingUnderAnotherDataSourcesTransactionManagerIsRefusedAndNothingCommits() throws SQLException {
		try (LogicalSlot slot = LogicalSlot.create(this.database)) {
			this.contextRunner.run((context) -> {
				Throwable thrown = catchThrowable(
						() -> context.getBean(OtherDataSourceService.class).recordPublishAndFail(1));

				assertThat(slot.take()).extracting(Change::summary)
					.doesNotContain("INSERT public.outbox_event", "INSERT public.business");
				assertThat(thrown).isInstanceOf(IllegalTransactionStateException.class)
					.hasMessageContaining("auto-commit")
					.hasMessageContaining("@Transactional(transactionManager = ...)");
			});
		}
	}

	@Test
	void publishingUnderJtaWithANonXaDataSourceIsRefusedAndNoEventCommits() throws SQLException {
		JtaTransactionManager jta = new JtaTransactionManager(com.arjuna.ats.jta.UserTransaction.userTransaction(),
				com.arjuna.ats.jta.TransactionManager.transactionManager());
		try (LogicalSlot slot = LogicalSlot.create(this.database)) {
			this.contextRunner.run((context) -> {
				JdbcTemplate outboxDatabase = new JdbcTemplate(context.getBean("outboxDataSource", DataSource.class));
				Throwable thrown = catchThrowable(() -> new TransactionTemplate(jta).executeWithoutResult((status) -> {
					// A read through Spring binds a connection of the outbox's DataSource, in auto-commit.
					outboxDatabase.queryForObject("SELECT 1", Integer.class);
					context.getBean(Outbox.class).publish("Order", "2", "OrderPlaced", Map.of("id", 2));
					throw new IllegalStateException("business failed");
				}));

				assertThat(slot.take()).extracting(Change::summary).doesNotContain("INSERT public.outbox_event");
				assertThat(thrown).isInstanceOf(IllegalTransactionStateException.class)
					.hasMessageContaining("auto-commit");
			});
		}
	}

	/**
	 * A transaction manager for each DataSource; the outbox's is the primary one.
	 */
	@Configuration(proxyBeanMethods = false)
	static class TwoTransactionManagers {

		@Bean
		@Primary
		DataSourceTransactionManager transactionManager(@Qualifier("outboxDataSource") DataSource dataSource) {
			return new DataSourceTransactionManager(dataSource);
		}

		@Bean
		DataSourceTransactionManager other(@Qualifier("otherDataSource") DataSource dataSource) {
			return new DataSourceTransactionManager(dataSource);
		}

		@Bean
		OtherDataSourceService otherDataSourceService(@Qualifier("outboxDataSource") DataSource outboxDataSource,
				@Qualifier("otherDataSource") DataSource otherDataSource, Outbox outbox) {
			return new OtherDataSourceService(new JdbcTemplate(outboxDataSource), new JdbcTemplate(otherDataSource),
					outbox);
		}

	}

	/**
	 * A business service whose transactions are those of the other DataSource, and that also
	 * reads through the outbox's.
	 */
	static class OtherDataSourceService {

		private final JdbcTemplate outboxDatabase;

		private final JdbcTemplate otherDatabase;

		private final Outbox outbox;

		OtherDataSourceService(JdbcTemplate outboxDatabase, JdbcTemplate otherDatabase, Outbox outbox) {
			this.outboxDatabase = outboxDatabase;
			this.otherDatabase = otherDatabase;
			this.outbox = outbox;
		}

		@Transactional(transactionManager = "other")
		public void recordPublishAndFail(long id) {
			this.otherDatabase.update("INSERT INTO business (id) VALUES (?)", id);
			// A read through Spring binds a connection of the outbox's DataSource, in auto-commit.
			this.outboxDatabase.queryForObject("SELECT 1", Integer.class);
			this.outbox.publish("Order", Long.toString(id), "OrderPlaced", Map.of("id", id));
			throw new IllegalStateException("business failed");
		}

	}

}
