package dev.outbox.starter.write;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Random;
import java.util.UUID;

import org.springframework.util.IdGenerator;

/**
 * Generates time-ordered UUIDs of version 7 (RFC 9562): 48 bits of Unix epoch milliseconds,
 * the version, a 12-bit counter, the variant and 62 random bits.
 * <p>
 * Ids from one generator are strictly increasing, also within one millisecond (RFC 9562
 * section 6.2, method 1): the counter starts at a random value in the lower half of its range
 * each millisecond and counts up; when it overflows, or when the clock steps back, the
 * generator keeps counting on its last timestamp plus one millisecond rather than go
 * backwards. Thread-safe.
 */
public final class UuidV7Generator implements IdGenerator {

	private static final int COUNTER_BITS = 12;

	private static final int COUNTER_MAX = (1 << COUNTER_BITS) - 1;

	private final Clock clock;

	private final Random random;

	private long lastMillis = -1;

	private int counter;

	/**
	 * Create a generator on the system clock with a {@link SecureRandom}.
	 */
	public UuidV7Generator() {
		this(Clock.systemUTC(), new SecureRandom());
	}

	/**
	 * Create a generator on the given clock and random source.
	 * @param clock the clock for the timestamp
	 * @param random the source of the random bits
	 */
	public UuidV7Generator(Clock clock, Random random) {
		this.clock = clock;
		this.random = random;
	}

	@Override
	public UUID generateId() {
		long millis;
		int sequence;
		long randomBits;
		synchronized (this) {
			long now = this.clock.millis();
			if (now > this.lastMillis) {
				this.lastMillis = now;
				this.counter = this.random.nextInt(COUNTER_MAX / 2 + 1);
			}
			else if (this.counter < COUNTER_MAX) {
				this.counter++;
			}
			else {
				this.lastMillis++;
				this.counter = this.random.nextInt(COUNTER_MAX / 2 + 1);
			}
			millis = this.lastMillis;
			sequence = this.counter;
			randomBits = this.random.nextLong();
		}
		long mostSignificant = (millis << 16) | (0x7L << 12) | sequence;
		long leastSignificant = (randomBits & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
		return new UUID(mostSignificant, leastSignificant);
	}

}
