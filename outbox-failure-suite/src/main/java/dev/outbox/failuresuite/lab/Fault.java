package dev.outbox.failuresuite.lab;

import java.util.EnumSet;
import java.util.Set;

import static dev.outbox.failuresuite.lab.Component.KAFKA;
import static dev.outbox.failuresuite.lab.Component.POLLER;
import static dev.outbox.failuresuite.lab.Component.POSTGRES;
import static dev.outbox.failuresuite.lab.Component.RELAY;
import static dev.outbox.failuresuite.lab.Component.SENDER;
import static dev.outbox.failuresuite.lab.Component.SERVICE;
import static dev.outbox.failuresuite.lab.Component.SLOT;

/**
 * What a lab run injects, and the components it needs: a fault is only fired at a pipeline that
 * has them. The failure suite's faults keep their scenario ids as options.
 */
public enum Fault implements Choice {

	/** kill -9 of the relay, restarted at once. */
	RELAY_KILL_9("kill -9 of the relay, restarted at once", RELAY),

	/** SIGTERM of the relay, then a restart. */
	RELAY_GRACEFUL_RESTART("SIGTERM of the relay, then a restart", RELAY),

	/** kill -9 of the broker, restarted after an outage. */
	KAFKA_BROKER_KILL("kill -9 of the broker, restarted after an outage", KAFKA),

	/** {@code pg_ctl restart -m fast}. */
	POSTGRES_RESTART_FAST("pg_ctl restart -m fast", POSTGRES),

	/** {@code pg_ctl restart -m immediate}: a crash and recovery. */
	POSTGRES_RESTART_IMMEDIATE("pg_ctl restart -m immediate", POSTGRES),

	/**
	 * The primary killed under load and its synchronous standby promoted: the scenario runs on a
	 * primary and standby of its own, not the rig's cluster.
	 */
	POSTGRES_FAILOVER("kill of the primary, its standby promoted", POSTGRES, SLOT, RELAY),

	/** The relay↔Kafka link dropped. */
	RELAY_KAFKA_DROP("relay↔Kafka link dropped (reset, refused)", RELAY, KAFKA),

	/** The relay↔Kafka link stalled. */
	RELAY_KAFKA_STALL("relay↔Kafka link stalled (open, silent)", RELAY, KAFKA),

	/** The relay↔PostgreSQL link dropped. */
	RELAY_POSTGRES_DROP("relay↔PostgreSQL link dropped (reset, refused)", RELAY, POSTGRES),

	/** The relay↔PostgreSQL link stalled. */
	RELAY_POSTGRES_STALL("relay↔PostgreSQL link stalled (open, silent)", RELAY, POSTGRES),

	/** The relay frozen until its slot retains WAL past the critical threshold, then resumed. */
	RETAINED_WAL_CRITICAL("relay frozen until the slot retains WAL past the critical threshold", RELAY, SLOT),

	/** Two relays race for one slot; the active one is killed. */
	STANDBY_TAKEOVER("kill -9 of the active relay, a standby waiting", RELAY, SLOT),

	/** kill -9 of the writing service, at a random point. */
	SERVICE_KILL_9("kill -9 of the writing service", SERVICE),

	/** kill -9 of the poller, restarted at once. */
	POLLER_KILL_9("kill -9 of the poller, restarted at once", POLLER),

	/** A row deleted: invisible to a poller of the business table. */
	DELETE("rows deleted", SERVICE),

	/** An update, then a delete of the same row within one poll interval: a collapsed flip. */
	UPDATE_THEN_DELETE("an update then a delete of one row within a poll interval", SERVICE),

	/** A long transaction that commits after a later one: what pollers miss or reorder. */
	LONG_TRANSACTION("a long transaction committing after a later one", SERVICE, POSTGRES),

	/** kill -9 of a "save, then send" service at a fixed point: after the commit, before the send. */
	KILL_BETWEEN_COMMIT_AND_SEND("kill -9 of the service after its commit, before its send", SERVICE, SENDER),

	/** Confirm while the relay↔Kafka link is stalled, then kill -9 of the relay: exposes confirm-on-send. */
	RELAY_KAFKA_STALL_THEN_KILL_9("relay↔Kafka link stalled, then kill -9 of the relay", RELAY, KAFKA);

	private final String injects;

	private final Set<Component> needs;

	Fault(String injects, Component first, Component... more) {
		this.injects = injects;
		this.needs = EnumSet.of(first, more);
	}

	/** @return what is injected */
	public String injects() {
		return this.injects;
	}

	/** @return the components it is fired at: a pipeline must have all of them */
	public Set<Component> needs() {
		return EnumSet.copyOf(this.needs);
	}

}
