package dev.outbox.starter.flyway;

import java.util.Map;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import dev.outbox.starter.Outbox;
import dev.outbox.starter.OutboxEventTypes;
import dev.outbox.starter.autoconfigure.OutboxAutoConfiguration;
import dev.outbox.testsupport.PostgresTest;
import dev.outbox.testsupport.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter's migration runs as the role {@code outbox.flyway.user} names, else
 * {@code spring.flyway.user}, else the DataSource's own. Here a migration role owns the schema
 * and the service's role has only DML on what it creates; the tables' owner proves who
 * migrated, and publishing as the service's role proves DML is all the write path needs.
 * Each test gets a fresh database, as the tables are created once per database.
 */
@PostgresTest
class OutboxMigrationRoleIntegrationTests {

	private static String owner;

	private static String app;

	@BeforeAll
	static void createRoles(TestDatabase database) {
		owner = database.uniqueName("outbox_owner");
		app = database.uniqueName("outbox_app");
		JdbcTemplate admin = new JdbcTemplate(database.dataSource());
		admin.execute("CREATE ROLE " + owner + " LOGIN PASSWORD 'owner'");
		admin.execute("CREATE ROLE " + app + " LOGIN PASSWORD 'app'");
	}

	@Test
	void outboxFlywayUserOwnsTheTablesAndTheServicesRoleWritesWithDmlOnly(TestDatabase database) {
		TestDatabase fresh = schemaOwnedByMigrationRole(database);
		runner(fresh).withPropertyValues("outbox.flyway.user=" + owner, "outbox.flyway.password=owner")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(tableOwner(fresh, "outbox_event")).isEqualTo(owner);
				assertThat(tableOwner(fresh, "inbox_event")).isEqualTo(owner);
				assertThat(tableOwner(fresh, "outbox_schema_history")).isEqualTo(owner);
				DataSource dataSource = context.getBean(DataSource.class);
				new TransactionTemplate(new DataSourceTransactionManager(dataSource)).executeWithoutResult(
						(status) -> context.getBean(Outbox.class).publish("order", "1", "OrderPlaced", Map.of("id", 1)));
			});
	}

	@Test
	void springFlywayUserMigratesWhenOutboxFlywayUserIsUnset(TestDatabase database) {
		TestDatabase fresh = schemaOwnedByMigrationRole(database);
		runner(fresh).withPropertyValues("spring.flyway.user=" + owner, "spring.flyway.password=owner")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(tableOwner(fresh, "outbox_event")).isEqualTo(owner);
			});
	}

	@Test
	void outboxFlywayUserTakesPrecedenceOverSpringFlywayUser(TestDatabase database) {
		TestDatabase fresh = schemaOwnedByMigrationRole(database);
		runner(fresh)
			.withPropertyValues("spring.flyway.user=" + app, "spring.flyway.password=app",
					"outbox.flyway.user=" + owner, "outbox.flyway.password=owner")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(tableOwner(fresh, "outbox_event")).isEqualTo(owner);
			});
	}

	@Test
	void withoutEitherTheDataSourcesOwnRoleMigrates(TestDatabase database) {
		TestDatabase fresh = database.server().createDatabase("migration_role");
		new JdbcTemplate(fresh.dataSource()).execute("GRANT CREATE, USAGE ON SCHEMA public TO " + app);
		runner(fresh).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(tableOwner(fresh, "outbox_event")).isEqualTo(app);
		});
	}

	@Test
	void passwordWithoutUserFailsStartupNamingTheProperty(TestDatabase database) {
		runner(database).withPropertyValues("outbox.flyway.password=owner")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("outbox.flyway.password")
				.hasMessageContaining("outbox.flyway.user"));
	}

	private ApplicationContextRunner runner(TestDatabase database) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(OutboxAutoConfiguration.class, TransactionAutoConfiguration.class))
			.withBean(DataSource.class, () -> DataSourceBuilder.create()
				.type(SimpleDriverDataSource.class)
				.url(database.jdbcUrl())
				.username(app)
				.password("app")
				.build())
			.withBean(OutboxEventTypes.class,
					() -> OutboxEventTypes.of((types) -> types.declare("OrderPlaced", Map.class)))
			.withPropertyValues("outbox.contract.registry.enabled=false");
	}

	/**
	 * A new database whose schema public only the migration role may create in, and whose
	 * future tables the service's role may read and change, as a DBA would set it up.
	 */
	private static TestDatabase schemaOwnedByMigrationRole(TestDatabase database) {
		TestDatabase fresh = database.server().createDatabase("migration_role");
		JdbcTemplate admin = new JdbcTemplate(fresh.dataSource());
		admin.execute("GRANT CREATE, USAGE ON SCHEMA public TO " + owner);
		admin.execute("ALTER DEFAULT PRIVILEGES FOR ROLE " + owner + " IN SCHEMA public "
				+ "GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO " + app);
		return fresh;
	}

	private static String tableOwner(TestDatabase database, String table) {
		return new JdbcTemplate(database.dataSource())
			.queryForObject("SELECT tableowner FROM pg_tables WHERE schemaname = 'public' AND tablename = ?",
					String.class, table);
	}

}
