package dev.outbox.relay.pipeline;

import java.time.Duration;

/**
 * Exponential reconnection delay: initial, doubled per failure up to a maximum, reset on
 * success. Not thread-safe.
 */
final class Backoff {

	private final Duration initial;

	private final Duration max;

	private Duration next;

	Backoff(Duration initial, Duration max) {
		this.initial = initial;
		this.max = max;
		this.next = initial;
	}

	Duration next() {
		Duration current = this.next;
		Duration doubled = current.multipliedBy(2);
		this.next = (doubled.compareTo(this.max) > 0) ? this.max : doubled;
		return current;
	}

	void reset() {
		this.next = this.initial;
	}

}
