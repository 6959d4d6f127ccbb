package dev.outbox.bench;

import java.time.Instant;

/**
 * Wall-clock time in epoch microseconds: the one clock writers stamp into payloads and the
 * consumer compares with, in the same JVM.
 */
public final class Micros {

	private Micros() {
	}

	/** @return now, in microseconds since the epoch */
	public static long now() {
		Instant now = Instant.now();
		return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
	}

}
