package dev.outbox.relay.source;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.outbox.contract.EventMessage;
import dev.outbox.contract.TableName;

/**
 * Whether any role may forge an event: {@code pg_logical_emit_message} is executable by
 * {@code PUBLIC} unless a DBA revoked it, and the relay publishes every transactional message under
 * its outbox's prefix, so any role that can connect to the database could write an event this
 * relay publishes. The relay cannot revoke it (that needs a superuser); it warns at startup with
 * the exact statements, built from the catalog's own signatures (PostgreSQL 17 added a
 * {@code flush} argument to both overloads, {@code text} and {@code bytea} content).
 */
final class EmitMessagePrivilege {

	/**
	 * The overloads of {@code pg_catalog.pg_logical_emit_message} that {@code PUBLIC} may execute:
	 * its ACL, or the default ACL of a function (EXECUTE to PUBLIC) when it has none; grantee 0 is
	 * PUBLIC.
	 */
	static final String PUBLIC_OVERLOADS = "SELECT p.oid::regprocedure::text FROM pg_proc p "
			+ "WHERE p.proname = 'pg_logical_emit_message' AND p.pronamespace = 'pg_catalog'::regnamespace "
			+ "AND EXISTS (SELECT 1 FROM aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a "
			+ "WHERE a.grantee = 0 AND a.privilege_type = 'EXECUTE') ORDER BY 1";

	private EmitMessagePrivilege() {
	}

	/**
	 * Reads the catalog and says what to do while {@code PUBLIC} may emit messages.
	 * @param connection an ordinary connection to the outbox database
	 * @param table the outbox table, which names the prefix
	 * @return the warning, or {@code null} when no overload is executable by {@code PUBLIC}
	 * @throws SQLException when the catalog cannot be read
	 */
	static @Nullable String warning(Connection connection, TableName table) throws SQLException {
		List<String> overloads = new ArrayList<>();
		try (Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery(PUBLIC_OVERLOADS)) {
			while (rows.next()) {
				overloads.add("pg_catalog." + rows.getString(1).replace(",", ", "));
			}
		}
		return overloads.isEmpty() ? null : warning(overloads, EventMessage.prefixFor(table));
	}

	static String warning(List<String> overloads, String prefix) {
		StringBuilder sql = new StringBuilder();
		for (String overload : overloads) {
			sql.append("REVOKE EXECUTE ON FUNCTION ").append(overload).append(" FROM PUBLIC; ");
		}
		for (String overload : overloads) {
			sql.append("GRANT EXECUTE ON FUNCTION ").append(overload).append(" TO <writing role>; ");
		}
		return "Function pg_catalog.pg_logical_emit_message is executable by PUBLIC: any role that can connect to "
				+ "this database can write an event under prefix '" + prefix + "' that this relay publishes "
				+ "(message write mode). As a superuser, run: " + sql.toString().trim()
				+ " (the writing role is the one the services write events with)";
	}

}
