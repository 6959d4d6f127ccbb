package dev.outbox.relay.source;

import org.jspecify.annotations.Nullable;

/**
 * Where replication connections go: the same database, role and password as
 * {@code spring.datasource.*}.
 *
 * @param jdbcUrl JDBC URL of the outbox database
 * @param username role with the REPLICATION attribute
 * @param password its password, or {@code null}
 */
public record ConnectionSettings(String jdbcUrl, @Nullable String username, @Nullable String password) {

	@Override
	public String toString() {
		return "ConnectionSettings[" + this.jdbcUrl + " as " + this.username + "]";
	}

}
