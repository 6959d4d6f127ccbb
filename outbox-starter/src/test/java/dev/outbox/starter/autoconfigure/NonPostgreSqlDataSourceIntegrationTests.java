package dev.outbox.starter.autoconfigure;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.outbox.starter.Outbox;
import dev.outbox.starter.OutboxEventTypes;
import dev.outbox.starter.contract.EventSchemaRegistrar;
import dev.outbox.starter.flyway.OutboxSchemaMigration;
import dev.outbox.starter.inbox.InboxCleanup;
import dev.outbox.starter.retain.OutboxPurge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * On a DataSource that is not PostgreSQL (H2, as in a test slice) the application starts: no
 * PostgreSQL SQL runs at startup, each skipped part says why in an INFO line, and publishing
 * throws, naming the reason and the test kit. An event is never dropped silently.
 */
@ExtendWith(OutputCaptureExtension.class)
class NonPostgreSqlDataSourceIntegrationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
				DataSourceTransactionManagerAutoConfiguration.class, TransactionAutoConfiguration.class,
				OutboxAutoConfiguration.class, OutboxHealthContributorAutoConfiguration.class,
				InboxAutoConfiguration.class))
		.withBean(OutboxEventTypes.class, () -> OutboxEventTypes.of((types) -> types.declare("OrderPlaced", Map.class)))
		.withPropertyValues("spring.datasource.url=jdbc:h2:mem:outbox-h2;DB_CLOSE_DELAY=-1",
				"spring.datasource.username=sa", "outbox.write-mode=retain");

	@Test
	void startsWithoutRunningPostgreSqlSqlAndSaysWhatItSkipped(CapturedOutput output) {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBeansOfType(OutboxSchemaMigration.class)).isEmpty();
			assertThat(context.getBeansOfType(OutboxPurge.class)).isEmpty();
			assertThat(context.getBeansOfType(InboxCleanup.class)).isEmpty();
			assertThat(context.getBeansOfType(HealthIndicator.class)).isEmpty();
			assertThat(context).hasSingleBean(EventSchemaRegistrar.class);
			assertThat(output).contains("Outbox: skipping the outbox table migration, because the outbox's "
					+ "DataSource 'dataSource' is H2, not PostgreSQL")
				.contains("skipping the schema registry")
				.contains("skipping the retain mode's purge")
				.contains("skipping the inbox cleanup")
				.contains("skipping the replication slot health indicator");
		});
	}

	@Test
	void publishingThrowsNamingTheDatabaseAndTheTestKit() {
		this.contextRunner.run((context) -> {
			TransactionTemplate transaction = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
			assertThatIllegalStateException()
				.isThrownBy(() -> transaction.executeWithoutResult(
						(status) -> context.getBean(Outbox.class).publish("order", "1", "OrderPlaced", Map.of("id", 1))))
				.withMessageContaining("'OrderPlaced'")
				.withMessageContaining("DataSource 'dataSource' is H2, not PostgreSQL")
				.withMessageContaining("dev.outbox:outbox-test")
				.withMessageContaining("@AutoConfigureOutboxTestKit");
		});
	}

}
