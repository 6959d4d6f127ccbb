package dev.outbox.bench;

import java.util.Arrays;

/**
 * Summaries of interleaved measurement rounds. A round runs every variant once, back to back, so
 * a burst of load from elsewhere, or a JIT still warming up, hits the variants of one round
 * alike; the ratio of two variants is therefore taken round by round, and the median of those
 * ratios is reported, not the ratio of two medians that may come from different rounds.
 */
public final class RoundRatios {

	private RoundRatios() {
	}

	/**
	 * Returns the median.
	 * @param values at least one value
	 * @return the middle value, or the mean of the two middle values
	 */
	public static double median(double[] values) {
		if (values.length == 0) {
			throw new IllegalArgumentException("no values");
		}
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		int middle = sorted.length / 2;
		return (sorted.length % 2 == 1) ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
	}

	/**
	 * Returns the median of the per-round ratios {@code variant[i] / baseline[i]}.
	 * @param variant the variant's figure in each round, in run order
	 * @param baseline the baseline's figure in the same rounds, in the same order
	 * @return the median ratio
	 */
	public static double medianRatio(double[] variant, double[] baseline) {
		if (variant.length != baseline.length) {
			throw new IllegalArgumentException(
					"rounds differ: " + variant.length + " of the variant, " + baseline.length + " of the baseline");
		}
		double[] ratios = new double[variant.length];
		for (int i = 0; i < ratios.length; i++) {
			ratios[i] = variant[i] / baseline[i];
		}
		return median(ratios);
	}

	/**
	 * Formats the figures of the rounds, rounded, in run order: {@code [3317, 4049, 4648]}.
	 * @param values the figures
	 * @return the list as text
	 */
	public static String rounded(double[] values) {
		StringBuilder text = new StringBuilder("[");
		for (double value : values) {
			text.append((text.length() > 1) ? ", " : "").append(Math.round(value));
		}
		return text.append(']').toString();
	}

}
