package dev.outbox.starter.write;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link UuidV7Generator}: RFC 9562 version 7 layout, and strictly increasing ids.
 */
class UuidV7GeneratorUnitTests {

	private final MutableClock clock = new MutableClock(1_700_000_000_123L);

	private final UuidV7Generator generator = new UuidV7Generator(this.clock, new Random(42));

	@Test
	void idIsVersionSevenWithTheIetfVariantAndTheClocksMillisecondsInFront() {
		UUID id = this.generator.generateId();

		assertThat(id.version()).isEqualTo(7);
		assertThat(id.variant()).isEqualTo(2);
		assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(1_700_000_000_123L);
	}

	@Test
	void idsAreStrictlyIncreasingWithinOneMillisecondBeyondTheCounterRange() {
		List<UUID> ids = new ArrayList<>();
		for (int i = 0; i < 10_000; i++) {
			ids.add(this.generator.generateId());
		}

		assertThat(ids).isSortedAccordingTo(UuidV7GeneratorUnitTests::compareUnsigned).doesNotHaveDuplicates();
		assertThat(ids.get(ids.size() - 1).getMostSignificantBits() >>> 16)
			.as("the counter overflowed, so the timestamp moved on").isGreaterThan(1_700_000_000_123L);
	}

	@Test
	void idsKeepIncreasingWhenTheClockStepsBack() {
		UUID before = this.generator.generateId();
		this.clock.millis -= 5_000;
		UUID after = this.generator.generateId();

		assertThat(compareUnsigned(after, before)).isPositive();
		assertThat(after.version()).isEqualTo(7);
	}

	@Test
	void idsOfANewMillisecondAreGreaterThanAllOfThePrevious() {
		UUID first = this.generator.generateId();
		this.clock.millis++;
		UUID second = this.generator.generateId();

		assertThat(compareUnsigned(second, first)).isPositive();
		assertThat(second.getMostSignificantBits() >>> 16).isEqualTo(1_700_000_000_124L);
	}

	@Test
	void concurrentCallersGetDistinctIds() {
		UuidV7Generator shared = new UuidV7Generator();
		Set<UUID> ids = ConcurrentHashMap.newKeySet();
		IntStream.range(0, 40_000).parallel().forEach((i) -> ids.add(shared.generateId()));

		assertThat(ids).hasSize(40_000);
	}

	/**
	 * Order of UUIDs as PostgreSQL and the byte layout order them: unsigned, most significant
	 * bits first ({@link UUID#compareTo} compares signed longs).
	 */
	private static int compareUnsigned(UUID a, UUID b) {
		int high = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
		return (high != 0) ? high : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
	}

	private static final class MutableClock extends Clock {

		private long millis;

		MutableClock(long millis) {
			this.millis = millis;
		}

		@Override
		public long millis() {
			return this.millis;
		}

		@Override
		public Instant instant() {
			return Instant.ofEpochMilli(this.millis);
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

	}

}
