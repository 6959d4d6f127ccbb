package dev.outbox.starter.flyway;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import dev.outbox.contract.TableName;
import dev.outbox.starter.write.OutboxWriteMode;
import dev.outbox.testsupport.PostgresTest;
import dev.outbox.testsupport.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * In {@code message} write mode the migration leaves {@code pg_logical_emit_message} to the
 * writing role where that role may, and otherwise logs what a DBA runs.
 */
@PostgresTest
@ExtendWith(OutputCaptureExtension.class)
class EmitMessagePrivilegesIntegrationTests {

	private static final TableName TABLE = TableName.parse("public.outbox_event", "outbox.table");

	private static final String FORGE = "SELECT pg_logical_emit_message(true, 'outbox:public.outbox_event', '{}')";

	private static String writer;

	private static String stranger;

	private final TestDatabase database;

	private final JdbcTemplate admin;

	EmitMessagePrivilegesIntegrationTests(TestDatabase database) {
		this.database = database;
		this.admin = new JdbcTemplate(database.dataSource());
	}

	@BeforeAll
	static void createRoles(TestDatabase database) {
		JdbcTemplate admin = new JdbcTemplate(database.dataSource());
		writer = database.uniqueName("writer");
		stranger = database.uniqueName("stranger");
		admin.execute("CREATE ROLE " + writer + " LOGIN PASSWORD 'writer' NOSUPERUSER");
		admin.execute("CREATE ROLE " + stranger + " LOGIN PASSWORD 'stranger' NOSUPERUSER");
		admin.execute("GRANT USAGE, CREATE ON SCHEMA public TO " + writer);
	}

	@AfterAll
	static void dropRoles(TestDatabase database) {
		JdbcTemplate admin = new JdbcTemplate(database.dataSource());
		for (String role : new String[] { writer, stranger }) {
			admin.execute("DROP OWNED BY " + role);
			admin.execute("DROP ROLE " + role);
		}
	}

	@BeforeEach
	void restorePostgresDefaults() {
		for (String signature : this.admin.queryForList("SELECT oid::regprocedure::text FROM pg_proc "
				+ "WHERE proname = 'pg_logical_emit_message'", String.class)) {
			this.admin.execute("GRANT EXECUTE ON FUNCTION pg_catalog." + signature + " TO PUBLIC");
			this.admin.execute("REVOKE EXECUTE ON FUNCTION pg_catalog." + signature + " FROM " + writer);
		}
	}

	@Test
	void byDefaultAnyRoleMayEmitAMessageUnderTheOutboxPrefix() throws SQLException {
		new OutboxSchemaMigration(this.database.dataSource(), TABLE, null, "outbox_schema_history").migrate();

		assertThat(publicMayExecute()).isTrue();
		try (Connection connection = connectAs(stranger); Statement statement = connection.createStatement()) {
			assertThat(statement.execute(FORGE)).isTrue();
		}
	}

	@Test
	void messageModeMigrationAsSuperuserRevokesEmitMessageFromPublicIdempotently() throws SQLException {
		migrateInMessageMode(this.database.dataSource());
		migrateInMessageMode(this.database.dataSource());

		assertThat(publicMayExecute()).isFalse();
		assertThat(new EmitMessagePrivileges(this.database.dataSource()).unrestricted()).isFalse();
		assertThatExceptionOfType(SQLException.class).isThrownBy(() -> {
			try (Connection connection = connectAs(stranger); Statement statement = connection.createStatement()) {
				statement.execute(FORGE);
			}
		}).withMessageContaining("permission denied for function pg_logical_emit_message");
	}

	@Test
	void messageModeMigrationAsPlainRoleChangesNothingAndLogsTheSqlADbaRunsThatLetsTheWriterEmit(
			CapturedOutput output) throws SQLException {
		DriverManagerDataSource asWriter = new DriverManagerDataSource(this.database.jdbcUrl(), writer, "writer");
		// Tables of its own: those the superuser migrated are not the writer's to alter.
		new OutboxSchemaMigration(asWriter, TableName.parse("writer_outbox", "outbox.table"), null, "writer_history",
				OutboxWriteMode.MESSAGE)
			.migrate();

		assertThat(publicMayExecute()).isTrue();
		assertThat(output).contains("any database role can run pg_logical_emit_message");
		String sql = output.toString().substring(output.toString().indexOf("A DBA runs, in this database: ") + 30);
		sql = sql.substring(0, sql.indexOf(";\n") + 1).strip();
		assertThat(sql).contains("REVOKE EXECUTE ON FUNCTION pg_catalog.pg_logical_emit_message(boolean,text,text) "
				+ "FROM PUBLIC", "GRANT EXECUTE ON FUNCTION pg_catalog.pg_logical_emit_message(boolean,text,bytea) TO "
						+ writer);
		for (String statement : sql.split(";")) {
			if (!statement.isBlank()) {
				this.admin.execute(statement);
			}
		}
		assertThat(publicMayExecute()).isFalse();
		assertThat(new EmitMessagePrivileges(asWriter).unrestricted()).isFalse();
		try (Connection connection = connectAs(writer); Statement statement = connection.createStatement()) {
			assertThat(statement.execute(FORGE)).isTrue();
		}
	}

	private void migrateInMessageMode(javax.sql.DataSource dataSource) {
		new OutboxSchemaMigration(dataSource, TABLE, null, "outbox_schema_history", OutboxWriteMode.MESSAGE).migrate();
	}

	private boolean publicMayExecute() {
		return this.admin.queryForObject("SELECT bool_or(has_function_privilege('public', oid, 'EXECUTE')) "
				+ "FROM pg_proc WHERE proname = 'pg_logical_emit_message'", Boolean.class);
	}

	private Connection connectAs(String role) throws SQLException {
		return new DriverManagerDataSource(this.database.jdbcUrl(), role, role).getConnection();
	}

}
