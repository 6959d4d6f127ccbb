package dev.outbox.failuresuite.lab;

/**
 * The parts a pipeline runs, each a place where a fault can land and a component the verifier
 * can hold responsible. Which of them a pipeline has depends on its {@link Capture}.
 */
public enum Component implements Choice {

	/** The service writing business rows (and, for {@link Capture#LOG}, events through the starter). */
	SERVICE("the service"),

	/** {@link Capture#DUAL_WRITE}'s send to Kafka after the commit, in the service. */
	SENDER("the service's send after commit"),

	/** The database. */
	POSTGRES("PostgreSQL"),

	/** {@link Capture#LOG}'s logical replication slot. */
	SLOT("the replication slot"),

	/** {@link Capture#LOG}'s relay. */
	RELAY("the relay"),

	/** The polling captures' poller. */
	POLLER("the poller"),

	/** The broker. */
	KAFKA("Kafka"),

	/** The consumer applying events: the sink. */
	CONSUMER("the consumer");

	private final String label;

	Component(String label) {
		this.label = label;
	}

	/** @return the component in prose */
	public String label() {
		return this.label;
	}

}
