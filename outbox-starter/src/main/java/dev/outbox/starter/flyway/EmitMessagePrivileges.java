package dev.outbox.starter.flyway;

import java.util.List;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Who may emit outbox events in {@code message} write mode. PostgreSQL lets every role run
 * {@code pg_logical_emit_message} ({@code EXECUTE} is granted to {@code PUBLIC}), so any role
 * that can connect could forge an event under the outbox prefix. {@link #restrict()} revokes
 * {@code EXECUTE} on every overload (the {@code text} and {@code bytea} ones; PostgreSQL 17
 * adds a {@code flush} argument, so the signatures are read from {@code pg_proc}) from
 * {@code PUBLIC} and grants it to the current role, the one the service writes with.
 * <p>
 * Only a superuser or the functions' owner may do that. Any other role changes nothing and
 * logs a WARN with the exact SQL a DBA runs. Idempotent: with {@code PUBLIC} already revoked and
 * the role already granted, nothing is run. Privileges on functions are per database, so this
 * affects the service's database only.
 */
public final class EmitMessagePrivileges {

	private static final Log logger = LogFactory.getLog(EmitMessagePrivileges.class);

	private final JdbcTemplate jdbcTemplate;

	private final TransactionTemplate transaction;

	/**
	 * Create the privilege check of a data source.
	 * @param dataSource the data source the service writes with
	 */
	public EmitMessagePrivileges(DataSource dataSource) {
		this.jdbcTemplate = new JdbcTemplate(dataSource);
		this.transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
	}

	/**
	 * The statements that leave {@code pg_logical_emit_message} to the current role alone.
	 * @return the SQL, one statement per element
	 */
	public List<String> statements() {
		String role = this.jdbcTemplate.queryForObject("SELECT quote_ident(current_user)", String.class);
		return signatures().stream()
			.flatMap((signature) -> List.of("REVOKE EXECUTE ON FUNCTION " + signature + " FROM PUBLIC",
					"GRANT EXECUTE ON FUNCTION " + signature + " TO " + role)
				.stream())
			.toList();
	}

	/**
	 * Whether roles other than the current one may still run {@code pg_logical_emit_message}:
	 * whether {@code PUBLIC} may execute an overload, or the current role may not.
	 * @return whether {@link #restrict()} has something to do
	 */
	public boolean unrestricted() {
		return Boolean.TRUE.equals(this.jdbcTemplate.queryForObject("SELECT bool_or(has_function_privilege('public', "
				+ "p.oid, 'EXECUTE') OR NOT has_function_privilege(current_user, p.oid, 'EXECUTE')) FROM pg_proc p "
				+ "WHERE p.proname = 'pg_logical_emit_message' AND p.pronamespace = 'pg_catalog'::regnamespace",
				Boolean.class));
	}

	/**
	 * Revoke {@code EXECUTE} from {@code PUBLIC} and grant it to the current role, where the role
	 * may; otherwise log a WARN naming the SQL to run.
	 * @return whether only the current role (and superusers) may now emit messages
	 */
	public boolean restrict() {
		if (!unrestricted()) {
			return true;
		}
		List<String> statements = statements();
		if (!mayChange()) {
			logger.warn("outbox.write-mode=message: any database role can run pg_logical_emit_message and forge "
					+ "outbox events, and the current role may not change that (it is neither superuser nor the "
					+ "function's owner). A DBA runs, in this database: " + String.join("; ", statements) + ";");
			return false;
		}
		this.transaction.executeWithoutResult((status) -> statements.forEach(this.jdbcTemplate::execute));
		logger.info("outbox.write-mode=message: pg_logical_emit_message is now executable by the current role "
				+ "only (revoked from PUBLIC)");
		return true;
	}

	private List<String> signatures() {
		return this.jdbcTemplate.queryForList("SELECT p.oid::regprocedure::text FROM pg_proc p WHERE p.proname = "
				+ "'pg_logical_emit_message' AND p.pronamespace = 'pg_catalog'::regnamespace ORDER BY 1", String.class)
			.stream()
			.map((signature) -> "pg_catalog." + signature)
			.toList();
	}

	private boolean mayChange() {
		return Boolean.TRUE.equals(this.jdbcTemplate.queryForObject("SELECT r.rolsuper OR bool_and(pg_has_role("
				+ "p.proowner, 'MEMBER')) FROM pg_roles r, pg_proc p WHERE r.rolname = current_user AND p.proname = "
				+ "'pg_logical_emit_message' AND p.pronamespace = 'pg_catalog'::regnamespace GROUP BY r.rolsuper",
				Boolean.class));
	}

}
