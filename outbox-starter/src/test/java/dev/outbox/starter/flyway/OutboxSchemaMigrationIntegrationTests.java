package dev.outbox.starter.flyway;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.unit.DataSize;

import dev.outbox.contract.TableName;
import dev.outbox.starter.LogicalSlot;
import dev.outbox.starter.LogicalSlot.Change;
import dev.outbox.starter.TestApplications;
import dev.outbox.starter.write.DefaultOutbox;
import dev.outbox.starter.write.OutboxEventWriter;
import dev.outbox.testsupport.PostgresTest;
import dev.outbox.testsupport.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The starter's own migrations ({@code V1} the outbox table, {@code V2} the inbox table): next
 * to the application's Flyway migrations, before any data access, with the contract's columns
 * and storage settings, for any table names, and without the inbox when it is off.
 */
@PostgresTest
class OutboxSchemaMigrationIntegrationTests {

	private static ConfigurableApplicationContext context;

	private static TestDatabase database;

	private static JdbcTemplate jdbcTemplate;

	@BeforeAll
	static void start(TestDatabase testDatabase) {
		database = testDatabase;
		context = TestApplications.start(testDatabase, TestApplications.JdbcApplication.class);
		jdbcTemplate = new JdbcTemplate(testDatabase.dataSource());
	}

	@AfterAll
	static void stop() {
		if (context != null) {
			context.close();
		}
	}

	@Test
	void starterMigrationCoexistsWithTheApplicationsOwnVersionOne() {
		assertThat(jdbcTemplate.queryForList("SELECT version || ' ' || description FROM flyway_schema_history "
				+ "WHERE success ORDER BY installed_rank", String.class))
			.containsExactly("1 create orders");
		assertThat(jdbcTemplate.queryForList("SELECT coalesce(version, '') || ' ' || description "
				+ "FROM outbox_schema_history WHERE success ORDER BY installed_rank", String.class))
			.containsExactly("0 outbox baseline", "1 outbox event", "2 inbox event");
		assertThat(jdbcTemplate.queryForList("SELECT coalesce(version, '') || ' ' || description "
				+ "FROM outbox_schema_history_contract WHERE success ORDER BY installed_rank", String.class))
			.containsExactly("0 outbox baseline", "1 outbox schema version", "2 outbox event schema");
	}

	@Test
	void registryTableIsKeyedByEventTypeAndVersion() {
		assertThat(jdbcTemplate.queryForList("SELECT column_name || ' ' || data_type || ' ' || is_nullable "
				+ "FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'outbox_event_schema' "
				+ "ORDER BY ordinal_position", String.class))
			.containsExactly("event_type character varying NO", "version integer NO", "schema jsonb NO",
					"registered_at timestamp with time zone NO");
		assertThat(jdbcTemplate.queryForObject("SELECT pg_get_constraintdef(oid) FROM pg_constraint "
				+ "WHERE conrelid = 'public.outbox_event_schema'::regclass AND contype = 'p'", String.class))
			.isEqualTo("PRIMARY KEY (event_type, version)");
	}

	@Test
	void historyThatListsTheFormerVersionThreeStaysValid() {
		TableName outbox = TableName.parse("former.outbox_event", "outbox.table");
		TableName inbox = TableName.parse("former.inbox_event", "outbox.inbox.table");
		new OutboxSchemaMigration(database.dataSource(), outbox, inbox, "outbox_schema_history").migrate();
		// As the first chain's V3 left it before the move to the event contract's chain.
		jdbcTemplate.update("INSERT INTO former.outbox_schema_history (installed_rank, version, description, type, "
				+ "script, checksum, installed_by, execution_time, success) VALUES (100, '3', 'outbox schema version', "
				+ "'SQL', 'V3__outbox_schema_version.sql', 1, current_user, 1, true)");

		new OutboxSchemaMigration(database.dataSource(), outbox, inbox, "outbox_schema_history").migrate();

		assertThat(jdbcTemplate.queryForList("SELECT coalesce(version, '') || ' ' || description "
				+ "FROM former.outbox_schema_history_contract WHERE success ORDER BY installed_rank", String.class))
			.containsExactly("0 outbox baseline", "1 outbox schema version", "2 outbox event schema");
	}

	@Test
	void migrationRunsAfterTheApplicationsMigrationsAndBeforeDataAccessBeans() {
		ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
		assertThat(beanFactory.getBeanDefinition("outboxSchemaMigration").getDependsOn())
			.contains("flywayInitializer");
		assertThat(beanFactory.getBeanDefinition("jdbcTemplate").getDependsOn()).contains("outboxSchemaMigration");
		assertThat(beanFactory.getBeanDefinition("outboxEventWriter").getDependsOn())
			.contains("outboxSchemaMigration");
	}

	@Test
	void tableHasTheContractColumnsAndChurnStorageSettings() {
		assertThat(jdbcTemplate.queryForList("SELECT column_name || ' ' || data_type || ' ' || is_nullable "
				+ "FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'outbox_event' "
				+ "ORDER BY ordinal_position", String.class))
			.containsExactly("id uuid NO", "aggregate_type character varying NO", "aggregate_id character varying NO",
					"event_type character varying NO", "payload jsonb NO", "headers jsonb YES",
					"created_at timestamp with time zone NO", "schema_version integer YES");
		assertThat(jdbcTemplate.queryForObject("SELECT array_to_string(reloptions, ',') FROM pg_class "
				+ "WHERE oid = 'public.outbox_event'::regclass", String.class))
			.contains("vacuum_truncate=false", "autovacuum_vacuum_scale_factor=0", "autovacuum_vacuum_threshold=5000");
		assertThat(jdbcTemplate.queryForObject(
				"SELECT count(*) FROM public.outbox_event", Long.class)).isZero();
	}

	@Test
	void inboxTableIsKeyedByConsumerAndEventIdWithAnIndexForTheCleanup() {
		assertThat(jdbcTemplate.queryForList("SELECT column_name || ' ' || data_type || ' ' || is_nullable "
				+ "FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'inbox_event' "
				+ "ORDER BY ordinal_position", String.class))
			.containsExactly("consumer character varying NO", "event_id character varying NO",
					"processed_at timestamp with time zone NO");
		assertThat(jdbcTemplate.queryForObject("SELECT pg_get_constraintdef(oid) FROM pg_constraint "
				+ "WHERE conrelid = 'public.inbox_event'::regclass AND contype = 'p'", String.class))
			.isEqualTo("PRIMARY KEY (consumer, event_id)");
		assertThat(jdbcTemplate.queryForObject("SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' "
				+ "AND indexname = 'inbox_event_processed_at'", String.class))
			.endsWith("ON public.inbox_event USING btree (processed_at)");
	}

	@Test
	void packagedMigrationsAreTheTopLevelContractFiles() throws Exception {
		for (String migration : new String[] { "V1__outbox_event.sql", "V2__inbox_event.sql",
				"event-contract/V1__outbox_schema_version.sql", "event-contract/V2__outbox_event_schema.sql" }) {
			String packaged = new ClassPathResource(
					"META-INF/outbox/" + (migration.startsWith("event-contract/") ? "" : "migration/") + migration)
				.getContentAsString(StandardCharsets.UTF_8);
			assertThat(packaged).isEqualTo(Files.readString(Path.of("../db/migration/" + migration)));
		}
	}

	@Test
	void migrationOfCustomTablesCreatesSchemaAndTablesAndTheWriterWritesThere() throws SQLException {
		DataSource dataSource = database.dataSource();
		TableName table = TableName.parse("events.my_outbox", "outbox.table");
		OutboxSchemaMigration migration = new OutboxSchemaMigration(dataSource, table,
				TableName.parse("events.my_inbox", "outbox.inbox.table"), "outbox_schema_history");
		migration.migrate();
		migration.migrate();

		assertThat(jdbcTemplate.queryForList("SELECT coalesce(version, '') || ' ' || description "
				+ "FROM events.outbox_schema_history WHERE success ORDER BY installed_rank", String.class))
			.containsExactly(" << Flyway Schema Creation >>", "1 outbox event", "2 inbox event");
		assertThat(jdbcTemplate.queryForObject("SELECT to_regclass('events.my_inbox_processed_at') IS NOT NULL",
				Boolean.class)).isTrue();
		DefaultOutbox outbox = new DefaultOutbox(new OutboxEventWriter(dataSource, table, 10),
				JsonMapper.builder().build(), List.of(), DataSize.ofKilobytes(1),
				DataSize.ofKilobytes(1), null);
		try (LogicalSlot slot = LogicalSlot.create(database)) {
			new TransactionTemplate(new DataSourceTransactionManager(dataSource))
				.executeWithoutResult((status) -> outbox.publish("Order", "1", "OrderPlaced", Map.of()));
			assertThat(slot.take()).extracting(Change::summary)
				.containsExactly("BEGIN", "INSERT events.my_outbox", "DELETE events.my_outbox", "COMMIT");
		}
	}

	@Test
	void migrationAdoptsTablesCreatedByHandFromTheDocumentedDdl() throws Exception {
		jdbcTemplate.execute("CREATE SCHEMA manual");
		jdbcTemplate.execute(Files.readString(Path.of("../db/migration/V1__outbox_event.sql"))
			.replace("${outbox_table}", "manual.outbox_event"));
		jdbcTemplate.execute(Files.readString(Path.of("../db/migration/V2__inbox_event.sql"))
			.replace("${inbox_table}", "manual.inbox_event")
			.replace("${inbox_index}", "inbox_event_processed_at"));

		new OutboxSchemaMigration(database.dataSource(), TableName.parse("manual.outbox_event", "outbox.table"),
				TableName.parse("manual.inbox_event", "outbox.inbox.table"), "outbox_schema_history").migrate();

		assertThat(jdbcTemplate.queryForList("SELECT coalesce(version, '') || ' ' || description "
				+ "FROM manual.outbox_schema_history WHERE success ORDER BY installed_rank", String.class))
			.containsExactly("0 outbox baseline", "1 outbox event", "2 inbox event");
		assertThat(jdbcTemplate.queryForObject("SELECT count(*) FROM pg_indexes WHERE schemaname = 'manual' "
				+ "AND tablename = 'inbox_event'", Long.class)).isEqualTo(2);
	}

	@Test
	void withoutTheInboxNoInboxTableUntilTheInboxIsTurnedOn() {
		TableName outbox = TableName.parse("later.outbox_event", "outbox.table");
		TableName inbox = TableName.parse("later.inbox_event", "outbox.inbox.table");
		String history = "SELECT coalesce(version, '') || ' ' || description FROM later.outbox_schema_history "
				+ "WHERE success ORDER BY installed_rank";

		new OutboxSchemaMigration(database.dataSource(), outbox, null, "outbox_schema_history").migrate();
		assertThat(jdbcTemplate.queryForList(history, String.class))
			.containsExactly(" << Flyway Schema Creation >>", "1 outbox event");
		assertThat(jdbcTemplate.queryForObject("SELECT to_regclass('later.inbox_event') IS NULL", Boolean.class))
			.isTrue();

		new OutboxSchemaMigration(database.dataSource(), outbox, inbox, "outbox_schema_history").migrate();
		assertThat(jdbcTemplate.queryForList(history, String.class))
			.containsExactly(" << Flyway Schema Creation >>", "1 outbox event", "2 inbox event");

		// Off again: the table stays, and the migration does not fail on a version above its target.
		new OutboxSchemaMigration(database.dataSource(), outbox, null, "outbox_schema_history").migrate();
		assertThat(jdbcTemplate.queryForObject("SELECT to_regclass('later.inbox_event') IS NOT NULL",
				Boolean.class)).isTrue();
	}

	@Test
	void withoutTheInboxTheOutboxTableStillGetsItsSchemaVersionColumn() {
		TableName outbox = TableName.parse("noinbox.outbox_event", "outbox.table");

		new OutboxSchemaMigration(database.dataSource(), outbox, null, "outbox_schema_history").migrate();

		assertThat(jdbcTemplate.queryForList("SELECT column_name FROM information_schema.columns "
				+ "WHERE table_schema = 'noinbox' AND table_name = 'outbox_event' ORDER BY ordinal_position",
				String.class))
			.endsWith("schema_version");
		assertThat(jdbcTemplate.queryForObject("SELECT to_regclass('noinbox.inbox_event') IS NULL", Boolean.class))
			.isTrue();
		assertThat(jdbcTemplate.queryForList("SELECT coalesce(version, '') || ' ' || description "
				+ "FROM noinbox.outbox_schema_history_contract WHERE success ORDER BY installed_rank", String.class))
			.containsExactly("0 outbox baseline", "1 outbox schema version", "2 outbox event schema");
	}

	@Test
	void inboxInASchemaOfItsOwnIsCreatedThereWhileTheHistoryStaysWithTheOutboxTable() {
		new OutboxSchemaMigration(database.dataSource(), TableName.parse("split_outbox", "outbox.table"),
				TableName.parse("consumers.inbox_event", "outbox.inbox.table"), "split_schema_history").migrate();

		assertThat(jdbcTemplate.queryForList("SELECT coalesce(version, '') || ' ' || description "
				+ "FROM public.split_schema_history WHERE success ORDER BY installed_rank", String.class))
			.containsExactly(" << Flyway Schema Creation >>", "1 outbox event", "2 inbox event");
		assertThat(jdbcTemplate.queryForObject("SELECT to_regclass('public.split_outbox') IS NOT NULL "
				+ "AND to_regclass('consumers.inbox_event') IS NOT NULL", Boolean.class)).isTrue();
	}

	@Test
	void unqualifiedTableThatExistsOnlyThroughTheSearchPathFailsNamingOutboxTableAndTheSchema() {
		jdbcTemplate.execute("CREATE SCHEMA legacy");
		jdbcTemplate.execute("CREATE TABLE legacy.legacy_outbox (id uuid)");
		DataSource legacyPath = new DriverManagerDataSource(
				database.jdbcUrl() + (database.jdbcUrl().contains("?") ? "&" : "?") + "currentSchema=legacy",
				database.username(), database.password());

		TableName unqualified = TableName.parse("legacy_outbox", "outbox.table");

		assertThatIllegalStateException()
			.isThrownBy(() -> new OutboxSchemaMigration(legacyPath, unqualified, null, "legacy_schema_history").migrate())
			.withMessageContaining("outbox.table")
			.withMessageContaining("legacy.legacy_outbox");
		assertThat(jdbcTemplate.queryForObject("SELECT to_regclass('public.legacy_outbox') IS NULL", Boolean.class))
			.isTrue();
	}

}
