package dev.outbox.starter.flyway;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.outbox.contract.TableName;

/**
 * Creates the starter's tables by running its migrations from {@value #LOCATION} when the
 * bean is initialized: {@code V1__outbox_event.sql} (the outbox table) and, unless the inbox
 * is off, {@code V2__inbox_event.sql} (the inbox table).
 * <p>
 * <b>Coexistence with the application's Flyway.</b> The migrations run with a Flyway
 * instance of their own, never exposed as a bean (a {@code Flyway} bean would switch off Spring
 * Boot's Flyway auto-configuration), with their own history table, so their {@code V1} and
 * {@code V2} never clash with the application's. Because the application's schema is usually
 * not empty, Flyway baselines at version 0 ({@code baselineOnMigrate}), which still runs
 * {@code V1}; the DDL itself is idempotent ({@code CREATE ... IF NOT EXISTS}), so tables
 * created by hand are adopted.
 * <p>
 * <b>Without the inbox</b> the migration stops at version 1 (Flyway's {@code target}), so no
 * inbox table is created; turning the inbox on later applies {@code V2} then. Turning it off
 * again leaves the table in place.
 * <p>
 * <b>Schemas.</b> The history table lives in the outbox table's schema ({@code public} when the
 * name is unqualified, as for the relay: see {@link TableName}). A schema named by either table is
 * created when missing. A table named in {@code public} that does not exist there, while the
 * connection's search path finds one of that name in another schema, stops the migration, naming
 * both.
 * <p>
 * <b>Ordering.</b> {@link OutboxSchemaMigrationDatabaseInitializerDetector} declares this
 * bean a database initializer to Spring Boot. It then runs after the application's Flyway or
 * Liquibase (whose first migration would otherwise find a non-empty schema without its
 * history table and refuse to run) and before every bean that depends on database
 * initialization: {@code JdbcTemplate}, the JPA {@code EntityManagerFactory}, the outbox
 * writer and the inbox. So the tables exist before application code can use them.
 */
public class OutboxSchemaMigration implements InitializingBean {

	/** Classpath location of the starter's migrations. */
	public static final String LOCATION = "classpath:META-INF/outbox/migration";

	/** Name of the Flyway placeholder that holds the outbox table name in the migration. */
	public static final String TABLE_PLACEHOLDER = "outbox_table";

	/** Name of the Flyway placeholder that holds the inbox table name in the migration. */
	public static final String INBOX_TABLE_PLACEHOLDER = "inbox_table";

	/** Name of the Flyway placeholder that holds the name of the inbox's cleanup index. */
	public static final String INBOX_INDEX_PLACEHOLDER = "inbox_index";

	private static final String OUTBOX_ONLY_VERSION = "1";

	private final DataSource dataSource;

	private final TableName table;

	private final @Nullable TableName inboxTable;

	private final String historyTable;

	/**
	 * Create a migration.
	 * @param dataSource the data source to migrate
	 * @param table the outbox table to create; a schema in its name is created too
	 * @param inboxTable the inbox table to create, or {@code null} for no inbox; a schema in
	 * its name is created too
	 * @param historyTable the name of the Flyway history table for this migration
	 */
	public OutboxSchemaMigration(DataSource dataSource, TableName table, @Nullable TableName inboxTable,
			String historyTable) {
		this.dataSource = dataSource;
		this.table = table;
		this.inboxTable = inboxTable;
		this.historyTable = historyTable;
	}

	/**
	 * Name of the index the inbox cleanup scans, created by the migration in the inbox
	 * table's schema.
	 * @param inboxTable the inbox table
	 * @return the unqualified index name, {@code <table>_processed_at}
	 */
	public static String inboxIndexName(TableName inboxTable) {
		return inboxTable.table() + "_processed_at";
	}

	@Override
	public void afterPropertiesSet() {
		migrate();
	}

	/**
	 * Run the migration; does nothing when the tables are up to date.
	 */
	public void migrate() {
		TableName inbox = (this.inboxTable != null) ? this.inboxTable
				: TableName.parse("inbox_event", "outbox.inbox.table");
		FluentConfiguration configuration = Flyway.configure(getClass().getClassLoader())
			.dataSource(this.dataSource)
			.locations(LOCATION)
			.failOnMissingLocations(true)
			.table(this.historyTable)
			.placeholders(Map.of(TABLE_PLACEHOLDER, this.table.qualified(), INBOX_TABLE_PLACEHOLDER,
					inbox.qualified(), INBOX_INDEX_PLACEHOLDER, inboxIndexName(inbox)))
			.baselineOnMigrate(true)
			.baselineVersion("0")
			.baselineDescription("outbox baseline");
		if (this.inboxTable == null) {
			configuration.target(OUTBOX_ONLY_VERSION);
		}
		refuseTableOnlyFoundThroughSearchPath(this.table, "outbox.table");
		if (this.inboxTable != null) {
			refuseTableOnlyFoundThroughSearchPath(this.inboxTable, "outbox.inbox.table");
		}
		configuration.schemas(schemas().toArray(String[]::new)).createSchemas(true);
		configuration.load().migrate();
	}

	// The first schema is Flyway's default one, where the history table lives.
	private List<String> schemas() {
		List<String> schemas = new ArrayList<>();
		schemas.add(this.table.schema());
		if (this.inboxTable != null && !schemas.contains(this.inboxTable.schema())) {
			schemas.add(this.inboxTable.schema());
		}
		return schemas;
	}

	/**
	 * An unqualified name means schema {@code public} on both sides ({@link TableName}); before,
	 * the starter resolved it through the connection's search path. Where a table in
	 * {@code public} is named, none exists there, and the search path finds one of that name in
	 * another schema (created there by hand, or by an earlier version), migrating would create an
	 * empty table beside the one in use, and the relay may read either: refused, naming both.
	 */
	private void refuseTableOnlyFoundThroughSearchPath(TableName table, String setting) {
		JdbcTemplate jdbcTemplate = new JdbcTemplate(this.dataSource);
		String current = jdbcTemplate.queryForObject("SELECT current_schema()", String.class);
		if (!TableName.DEFAULT_SCHEMA.equals(table.schema()) || current == null || current.equals(table.schema())) {
			return;
		}
		Boolean elsewhere = jdbcTemplate.queryForObject("SELECT to_regclass(?) IS NULL AND to_regclass(?) IS NOT NULL",
				Boolean.class, table.qualified(), "\"" + current.replace("\"", "\"\"") + "\"." + table.table());
		if (Boolean.TRUE.equals(elsewhere)) {
			throw new IllegalStateException(setting + " names " + table.qualified() + ", which does not exist, but "
					+ current + "." + table.table() + " does, found through the connection's search_path: a name "
					+ "without a schema means schema public, for the starter as for the relay. Set " + setting + "="
					+ current + "." + table.table() + " to keep using that table, or create " + table.qualified()
					+ " first to start a new one");
		}
	}

}
