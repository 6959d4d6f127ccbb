package dev.outbox.failuresuite.rig;

import java.time.Duration;

import dev.outbox.testsupport.PrimaryAndStandby;

/**
 * A scenario's own primary and physical streaming standby ({@link PrimaryAndStandby}), with the
 * suite cluster's settings, for a failover: everything connects through a multi-host JDBC URL
 * ({@code targetServerType=primary}), so the service, its consumer and the relay follow the
 * promotion. From PostgreSQL 17 on, the standby synchronises the relay's failover slot.
 * <p>
 * The standby is <em>synchronous</em> ({@code synchronous_standby_names}): a commit the service
 * saw acknowledged is on the standby, so the promoted primary holds every event the writers and
 * the consumer's inbox were told had committed. (With an asynchronous standby a failover loses the
 * last acknowledged commits, the consumer's among them, whatever the relay does; that is the
 * database's durability, not the pipeline's.) Its directories go with the scenario's database.
 */
public final class FailoverServers implements DatabaseServer {

	private final PrimaryAndStandby servers;

	private FailoverServers(PrimaryAndStandby servers) {
		this.servers = servers;
	}

	/**
	 * Starts the primary and its standby.
	 * @param name readable part of the clusters' directory names
	 * @return the running pair
	 */
	public static FailoverServers start(String name) {
		PrimaryAndStandby servers = PrimaryAndStandby.start(name, Rig.CLUSTER_SETTINGS);
		try {
			// Set once the standby streams (its application_name is its slot's name), so that setting up waits for nothing.
			servers.primary()
				.execute("ALTER SYSTEM SET synchronous_standby_names = '" + PrimaryAndStandby.STANDBY_SLOT + "'");
			servers.primary().execute("SELECT pg_reload_conf()");
			return new FailoverServers(servers);
		}
		catch (RuntimeException ex) {
			servers.close();
			throw ex;
		}
	}

	/** @return whether the relay's slot follows a failover here (PostgreSQL 17 and later) */
	public boolean slotsFollow() {
		return this.servers.failoverSlots();
	}

	/**
	 * Waits until the standby holds a synchronised copy of the relay's slot at or past a position:
	 * what an operator checks before relying on a failover.
	 * @param slot the relay's slot
	 * @param confirmedAtLeast the position, as text
	 */
	public void awaitStandbySlot(String slot, String confirmedAtLeast) {
		this.servers.awaitStandbySlot(slot, confirmedAtLeast, Duration.ofSeconds(60));
	}

	/** Kills the primary ({@code pg_ctl stop -m immediate}) and promotes the standby. */
	public void failOver() {
		this.servers.failOver();
	}

	@Override
	public String jdbcUrl(String database) {
		return this.servers.multiHostJdbcUrl(database);
	}

	@Override
	public String relayJdbcUrl(String database) {
		return this.servers.multiHostJdbcUrl(database);
	}

	/** Creates the database on the primary, from where the standby replays it. */
	@Override
	public void createDatabase(String name) {
		this.servers.primary().execute("CREATE DATABASE " + name);
	}

	/** Stops and removes both servers, the database and slot with them. */
	@Override
	public void dropDatabase(String database, String slot) {
		this.servers.close();
	}

	@Override
	public String toString() {
		return this.servers.toString();
	}

}
