package dev.outbox.failuresuite.lab;

import java.util.EnumSet;
import java.util.Set;

/** Slot 1: how an event leaves the database, and so which components a pipeline has. */
public enum Capture implements Choice {

	/** Save, then send: the service sends to Kafka after its commit; nothing in between. */
	DUAL_WRITE(EnumSet.of(Component.SERVICE, Component.SENDER, Component.POSTGRES, Component.KAFKA,
			Component.CONSUMER)),

	/** {@code SELECT ... WHERE updated_at > last_seen} over the business table. */
	POLLING_TABLE(EnumSet.of(Component.SERVICE, Component.POSTGRES, Component.POLLER, Component.KAFKA,
			Component.CONSUMER)),

	/**
	 * An outbox table polled as polling-outbox libraries do: ordered by a sequence,
	 * {@code FOR UPDATE SKIP LOCKED}, marked or deleted after the send.
	 */
	POLLING_OUTBOX(EnumSet.of(Component.SERVICE, Component.POSTGRES, Component.POLLER, Component.KAFKA,
			Component.CONSUMER)),

	/** Ours: the starter writes events in the business transaction, the relay reads them from the WAL. */
	LOG(EnumSet.of(Component.SERVICE, Component.POSTGRES, Component.SLOT, Component.RELAY, Component.KAFKA,
			Component.CONSUMER));

	private final Set<Component> components;

	Capture(Set<Component> components) {
		this.components = components;
	}

	/** @return the components a pipeline with this capture runs */
	public Set<Component> components() {
		return EnumSet.copyOf(this.components);
	}

}
