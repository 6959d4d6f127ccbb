package dev.outbox.failuresuite.rig;

/**
 * Where a scenario's database lives: the suite's cluster ({@link Rig}), or a primary with a
 * standby of its own for a failover ({@link FailoverServers}). The service, its consumer and the
 * checks connect at {@link #jdbcUrl}; relays at {@link #relayJdbcUrl}.
 */
public interface DatabaseServer {

	/**
	 * @param database a database of the server
	 * @return its JDBC URL for the service, its consumer and the checks
	 */
	String jdbcUrl(String database);

	/**
	 * @param database a database of the server
	 * @return its JDBC URL for relays
	 */
	String relayJdbcUrl(String database);

	/**
	 * Creates a database (dropping a leftover one of the same name).
	 * @param name its name
	 */
	void createDatabase(String name);

	/**
	 * Drops a replication slot (once no relay streams it) and a database, at a scenario's end.
	 * @param database the database
	 * @param slot the slot in it
	 */
	void dropDatabase(String database, String slot);

}
