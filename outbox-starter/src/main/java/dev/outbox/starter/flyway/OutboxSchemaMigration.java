package dev.outbox.starter.flyway;

import java.util.Map;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;

import org.springframework.beans.factory.InitializingBean;

import dev.outbox.starter.write.OutboxTable;

/**
 * Creates the outbox table by running the starter's migration
 * ({@value #LOCATION}/{@code V1__outbox_event.sql}) when the bean is initialized.
 * <p>
 * <b>Coexistence with the application's Flyway.</b> The migration runs with a Flyway
 * instance of its own, never exposed as a bean (a {@code Flyway} bean would switch off Spring
 * Boot's Flyway auto-configuration), with its own history table, so its {@code V1} never
 * clashes with the application's {@code V1__...}. Because the application's schema is
 * usually not empty, it baselines at version 0 ({@code baselineOnMigrate}), which still runs
 * {@code V1}; the DDL itself is idempotent ({@code CREATE TABLE IF NOT EXISTS}), so a table
 * created by hand is adopted.
 * <p>
 * <b>Ordering.</b> {@link OutboxSchemaMigrationDatabaseInitializerDetector} declares this
 * bean a database initializer to Spring Boot. It then runs after the application's Flyway or
 * Liquibase (whose first migration would otherwise find a non-empty schema without its
 * history table and refuse to run) and before every bean that depends on database
 * initialization: {@code JdbcTemplate}, the JPA {@code EntityManagerFactory}, and the
 * outbox writer. So the table exists before application code can write.
 */
public class OutboxSchemaMigration implements InitializingBean {

	/** Classpath location of the starter's migrations. */
	public static final String LOCATION = "classpath:META-INF/outbox/migration";

	/** Name of the Flyway placeholder that holds the table name in the migration. */
	public static final String TABLE_PLACEHOLDER = "outbox_table";

	private final DataSource dataSource;

	private final OutboxTable table;

	private final String historyTable;

	/**
	 * Create a migration.
	 * @param dataSource the data source to migrate
	 * @param table the outbox table to create; a schema in its name is created too
	 * @param historyTable the name of the Flyway history table for this migration
	 */
	public OutboxSchemaMigration(DataSource dataSource, OutboxTable table, String historyTable) {
		this.dataSource = dataSource;
		this.table = table;
		this.historyTable = historyTable;
	}

	@Override
	public void afterPropertiesSet() {
		migrate();
	}

	/**
	 * Run the migration; does nothing when the table is up to date.
	 */
	public void migrate() {
		FluentConfiguration configuration = Flyway.configure(getClass().getClassLoader())
			.dataSource(this.dataSource)
			.locations(LOCATION)
			.failOnMissingLocations(true)
			.table(this.historyTable)
			.placeholders(Map.of(TABLE_PLACEHOLDER, this.table.qualifiedName()))
			.baselineOnMigrate(true)
			.baselineVersion("0")
			.baselineDescription("outbox baseline");
		this.table.schema().ifPresent((schema) -> configuration.schemas(schema).createSchemas(true));
		configuration.load().migrate();
	}

}
