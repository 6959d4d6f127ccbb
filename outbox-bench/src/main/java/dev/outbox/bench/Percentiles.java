package dev.outbox.bench;

import java.util.Arrays;

/**
 * Exact percentiles of recorded values (latencies in microseconds, transaction times): every
 * value is kept, so nothing is approximated. Nearest-rank definition: the p-th percentile is the
 * smallest recorded value such that at least p % of the values are at or below it. Recording is
 * thread-safe; reading sorts a copy.
 */
public final class Percentiles {

	private long[] values;

	private int count;

	/**
	 * @param expected how many values are expected (the array grows past it)
	 */
	public Percentiles(int expected) {
		this.values = new long[Math.max(16, expected)];
	}

	/**
	 * Records one value.
	 * @param value the value
	 */
	public synchronized void record(long value) {
		if (this.count == this.values.length) {
			this.values = Arrays.copyOf(this.values, this.values.length * 2);
		}
		this.values[this.count++] = value;
	}

	/**
	 * Records values in bulk.
	 * @param batch values
	 * @param length how many of them
	 */
	public synchronized void recordAll(long[] batch, int length) {
		if (this.count + length > this.values.length) {
			this.values = Arrays.copyOf(this.values, Math.max(this.values.length * 2, this.count + length));
		}
		System.arraycopy(batch, 0, this.values, this.count, length);
		this.count += length;
	}

	/** @return how many values were recorded */
	public synchronized int count() {
		return this.count;
	}

	/**
	 * Returns a sorted snapshot for reading percentiles.
	 * @return the snapshot
	 */
	public synchronized Snapshot snapshot() {
		long[] sorted = Arrays.copyOf(this.values, this.count);
		Arrays.sort(sorted);
		return new Snapshot(sorted);
	}

	/**
	 * Sorted recorded values.
	 * @param sorted the values, ascending
	 */
	public record Snapshot(long[] sorted) {

		/**
		 * Returns the nearest-rank percentile.
		 * @param percent between 0 (exclusive) and 100 (inclusive)
		 * @return the value, or 0 when nothing was recorded
		 */
		public long percentile(double percent) {
			if (percent <= 0 || percent > 100) {
				throw new IllegalArgumentException("percent must be in (0, 100], was " + percent);
			}
			if (this.sorted.length == 0) {
				return 0;
			}
			int rank = (int) Math.ceil(percent / 100.0 * this.sorted.length);
			return this.sorted[Math.max(0, rank - 1)];
		}

		/** @return the largest value, or 0 */
		public long max() {
			return (this.sorted.length == 0) ? 0 : this.sorted[this.sorted.length - 1];
		}

		/** @return the number of values */
		public int count() {
			return this.sorted.length;
		}

	}

}
