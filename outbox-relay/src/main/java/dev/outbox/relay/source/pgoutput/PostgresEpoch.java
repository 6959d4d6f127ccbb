package dev.outbox.relay.source.pgoutput;

import java.time.Instant;

/**
 * Converts the protocol's timestamps: microseconds since the PostgreSQL epoch,
 * 2000-01-01T00:00:00Z.
 */
final class PostgresEpoch {

	/** Seconds from the Unix epoch to the PostgreSQL epoch. */
	static final long EPOCH_OFFSET_SECONDS = 946_684_800L;

	private PostgresEpoch() {
	}

	/**
	 * Converts microseconds since 2000-01-01 UTC to an instant; negative values are before it.
	 * @param micros the microseconds
	 * @return the instant
	 */
	static Instant toInstant(long micros) {
		long seconds = Math.floorDiv(micros, 1_000_000L);
		long microsOfSecond = Math.floorMod(micros, 1_000_000L);
		return Instant.ofEpochSecond(EPOCH_OFFSET_SECONDS + seconds, microsOfSecond * 1_000L);
	}

}
