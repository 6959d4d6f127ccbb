package dev.outbox.relay.pipeline;

/**
 * What the relay is doing, as health reports it.
 */
public enum RelayState {

	/** Checking PostgreSQL and Kafka, connecting. */
	STARTING,

	/** Reading the slot and publishing. */
	STREAMING,

	/** Another relay streams the slot; this one waits to take over when it dies. */
	STANDBY,

	/** PostgreSQL or Kafka is unavailable; retrying with backoff. Nothing is confirmed meanwhile. */
	RETRYING,

	/** Stopped on an error that needs an operator (rejected record, lost slot). */
	FAILED,

	/** Shut down. */
	STOPPED;

	/**
	 * Whether a relay in this state is ready, as the readiness probe reports it: it streams, or it
	 * stands by to take over (a rolling update must be able to start a standby and go on).
	 * @return {@code true} for {@link #STREAMING} and {@link #STANDBY}
	 */
	public boolean isReady() {
		return this == STREAMING || this == STANDBY;
	}

}
