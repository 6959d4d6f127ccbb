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
import dev.outbox.starter.write.OutboxWriteMode;

/**
 * Creates the starter's tables by running its migrations when the bean is initialized: from
 * {@value #LOCATION}, {@code V1__outbox_event.sql} (the outbox table) and, unless the inbox is
 * off, {@code V2__inbox_event.sql} (the inbox table); then, always, the event contract's from
 * {@value #CONTRACT_LOCATION}, {@code V1__outbox_schema_version.sql} (the outbox table's
 * optional {@code schema_version} column) and {@code V2__outbox_event_schema.sql} (the schema
 * registry's table).
 * <p>
 * <b>Two chains, two history tables.</b> The event contract's migrations have their own history
 * table, {@code <historyTable>}{@value #CONTRACT_HISTORY_SUFFIX}, because they must run whether
 * the inbox is on or off, while the first chain stops before the inbox's version when it is off
 * (and applies it later when it is turned on). Up to the registry's introduction the
 * {@code schema_version} column was the first chain's {@code V3}; a history table that lists
 * that version stays valid (applied versions missing from the first chain are ignored), and the
 * contract's migration adopts the column ({@code ADD COLUMN IF NOT EXISTS}).
 * <p>
 * <b>Coexistence with the application's Flyway.</b> The migrations run with a Flyway
 * instance of their own, never exposed as a bean (a {@code Flyway} bean would switch off Spring
 * Boot's Flyway auto-configuration), with their own history table, so their {@code V1} and
 * {@code V2} never clash with the application's. Because the application's schema is usually
 * not empty, Flyway baselines at version 0 ({@code baselineOnMigrate}), which still runs
 * {@code V1}; the DDL itself is idempotent ({@code CREATE ... IF NOT EXISTS}), so tables
 * created by hand are adopted.
 * <p>
 * <b>Without the inbox</b> the first chain stops at version 1 (Flyway's {@code target}), so no
 * inbox table is created; turning the inbox on later applies {@code V2} then. Turning it off
 * again leaves the table in place. The event contract's chain runs in both cases.
 * <p>
 * <b>Schemas.</b> The history tables live in the outbox table's schema ({@code public} when the
 * name is unqualified, as for the relay: see {@link TableName}). A schema named by any of the
 * tables is created when missing. A table named in {@code public} that does not exist there, while the
 * connection's search path finds one of that name in another schema, stops the migration, naming
 * both.
 * <p>
 * <b>Message mode.</b> With {@link OutboxWriteMode#MESSAGE}, the migration also leaves
 * {@code pg_logical_emit_message} to the writing role, where that role may change its
 * privileges, and otherwise logs the SQL a DBA runs: see {@link EmitMessagePrivileges}. The
 * outbox table is created in every mode: it names the outbox and the relay's publication.
 * <p>
 * <b>Roles.</b> The migration may run as another role than the service's (see
 * {@code outbox.flyway.user}): that role then owns the tables, and the service's role needs only
 * {@code SELECT, INSERT, DELETE} on them. The message mode's privileges are checked on the
 * writer's DataSource, whose role is the one that emits.
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

	/** Classpath location of the event contract's migrations (schema version, schema registry). */
	public static final String CONTRACT_LOCATION = "classpath:META-INF/outbox/event-contract";

	/** Suffix of the event contract's history table, after the name of the first chain's. */
	public static final String CONTRACT_HISTORY_SUFFIX = "_contract";

	/** Name of the Flyway placeholder that holds the schema registry's table name. */
	public static final String EVENT_SCHEMA_TABLE_PLACEHOLDER = "event_schema_table";

	/** Name of the schema registry's table when none is named, in the outbox table's schema. */
	public static final String DEFAULT_EVENT_SCHEMA_TABLE_NAME = "outbox_event_schema";

	private static final String OUTBOX_ONLY_VERSION = "1";

	private final DataSource dataSource;

	private final DataSource writerDataSource;

	private final TableName table;

	private final @Nullable TableName inboxTable;

	private final String historyTable;

	private final OutboxWriteMode writeMode;

	private final TableName eventSchemaTable;

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
		this(dataSource, table, inboxTable, historyTable, OutboxWriteMode.TABLE);
	}

	/**
	 * Create a migration for a write mode.
	 * @param dataSource the data source to migrate
	 * @param table the outbox table to create; a schema in its name is created too
	 * @param inboxTable the inbox table to create, or {@code null} for no inbox; a schema in
	 * its name is created too
	 * @param historyTable the name of the Flyway history table for this migration
	 * @param writeMode the write mode; {@link OutboxWriteMode#MESSAGE} also restricts who may
	 * emit messages
	 */
	public OutboxSchemaMigration(DataSource dataSource, TableName table, @Nullable TableName inboxTable,
			String historyTable, OutboxWriteMode writeMode) {
		this(dataSource, table, inboxTable, historyTable, writeMode, defaultEventSchemaTable(table));
	}

	/**
	 * Create a migration for a write mode and a schema registry table.
	 * @param dataSource the data source to migrate
	 * @param table the outbox table to create; a schema in its name is created too
	 * @param inboxTable the inbox table to create, or {@code null} for no inbox; a schema in
	 * its name is created too
	 * @param historyTable the name of the Flyway history table for this migration; the event
	 * contract's is this name with {@value #CONTRACT_HISTORY_SUFFIX}
	 * @param writeMode the write mode; {@link OutboxWriteMode#MESSAGE} also restricts who may
	 * emit messages
	 * @param eventSchemaTable the schema registry's table; a schema in its name is created too
	 */
	public OutboxSchemaMigration(DataSource dataSource, TableName table, @Nullable TableName inboxTable,
			String historyTable, OutboxWriteMode writeMode, TableName eventSchemaTable) {
		this(dataSource, dataSource, table, inboxTable, historyTable, writeMode, eventSchemaTable);
	}

	/**
	 * Create a migration that runs as another role than the one that writes events.
	 * @param dataSource the data source to migrate with; its role owns the tables it creates
	 * @param writerDataSource the data source the service writes events with; in
	 * {@link OutboxWriteMode#MESSAGE} its role is the one left to emit messages
	 * @param table the outbox table to create; a schema in its name is created too
	 * @param inboxTable the inbox table to create, or {@code null} for no inbox; a schema in
	 * its name is created too
	 * @param historyTable the name of the Flyway history table for this migration; the event
	 * contract's is this name with {@value #CONTRACT_HISTORY_SUFFIX}
	 * @param writeMode the write mode; {@link OutboxWriteMode#MESSAGE} also restricts who may
	 * emit messages
	 * @param eventSchemaTable the schema registry's table; a schema in its name is created too
	 */
	public OutboxSchemaMigration(DataSource dataSource, DataSource writerDataSource, TableName table,
			@Nullable TableName inboxTable, String historyTable, OutboxWriteMode writeMode,
			TableName eventSchemaTable) {
		this.eventSchemaTable = eventSchemaTable;
		this.dataSource = dataSource;
		this.writerDataSource = writerDataSource;
		this.table = table;
		this.inboxTable = inboxTable;
		this.historyTable = historyTable;
		this.writeMode = writeMode;
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

	/**
	 * The schema registry's table when none is named: {@value #DEFAULT_EVENT_SCHEMA_TABLE_NAME}
	 * in the outbox table's schema, so a service whose tables live in a schema of its own keeps
	 * its registry there.
	 * @param outboxTable the outbox table
	 * @return the registry table
	 */
	public static TableName defaultEventSchemaTable(TableName outboxTable) {
		return new TableName(outboxTable.schema(), DEFAULT_EVENT_SCHEMA_TABLE_NAME);
	}

	@Override
	public void afterPropertiesSet() {
		migrate();
	}

	/**
	 * Run the migration; does nothing when the tables are up to date (and, in message mode,
	 * the privileges already restricted).
	 */
	public void migrate() {
		TableName inbox = (this.inboxTable != null) ? this.inboxTable
				: TableName.parse("inbox_event", "outbox.inbox.table");
		FluentConfiguration configuration = configure(LOCATION, this.historyTable)
			.placeholders(Map.of(TABLE_PLACEHOLDER, this.table.qualified(), INBOX_TABLE_PLACEHOLDER,
					inbox.qualified(), INBOX_INDEX_PLACEHOLDER, inboxIndexName(inbox)))
			// V3 (the schema_version column) moved to the contract's chain: still listed in
			// histories migrated before, and valid there.
			.ignoreMigrationPatterns("*:future", "versioned:missing");
		if (this.inboxTable == null) {
			configuration.target(OUTBOX_ONLY_VERSION);
		}
		refuseTableOnlyFoundThroughSearchPath(this.table, "outbox.table");
		if (this.inboxTable != null) {
			refuseTableOnlyFoundThroughSearchPath(this.inboxTable, "outbox.inbox.table");
		}
		refuseTableOnlyFoundThroughSearchPath(this.eventSchemaTable, "outbox.contract.registry.table");
		configuration.schemas(schemas().toArray(String[]::new)).createSchemas(true);
		configuration.load().migrate();
		configure(CONTRACT_LOCATION, this.historyTable + CONTRACT_HISTORY_SUFFIX)
			.placeholders(Map.of(TABLE_PLACEHOLDER, this.table.qualified(), EVENT_SCHEMA_TABLE_PLACEHOLDER,
					this.eventSchemaTable.qualified()))
			.schemas(schemas().toArray(String[]::new))
			.createSchemas(true)
			.load()
			.migrate();
		if (this.writeMode == OutboxWriteMode.MESSAGE) {
			new EmitMessagePrivileges(this.writerDataSource).restrict();
		}
	}

	private FluentConfiguration configure(String location, String history) {
		return Flyway.configure(getClass().getClassLoader())
			.dataSource(this.dataSource)
			.locations(location)
			.failOnMissingLocations(true)
			.table(history)
			.baselineOnMigrate(true)
			.baselineVersion("0")
			.baselineDescription("outbox baseline");
	}

	// The first schema is Flyway's default one, where the history tables live.
	private List<String> schemas() {
		List<String> schemas = new ArrayList<>();
		schemas.add(this.table.schema());
		if (this.inboxTable != null && !schemas.contains(this.inboxTable.schema())) {
			schemas.add(this.inboxTable.schema());
		}
		if (!schemas.contains(this.eventSchemaTable.schema())) {
			schemas.add(this.eventSchemaTable.schema());
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
