package dev.outbox.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.offset;

class RoundRatiosUnitTests {

	@Test
	void medianOfAnOddCountIsTheMiddleValueAndOfAnEvenCountTheMeanOfTheTwoMiddleOnes() {
		assertThat(RoundRatios.median(new double[] { 5, 1, 3 })).isEqualTo(3);
		assertThat(RoundRatios.median(new double[] { 4, 1, 3, 2 })).isEqualTo(2.5);
	}

	@Test
	void ratioIsTakenRoundByRoundSoOneDisturbedRoundDoesNotSkewIt() {
		// The variant runs at 65 % of the baseline in two rounds; a burst of load from elsewhere
		// halved the baseline's second round only. The ratio of the two medians would say
		// 4,000 / 6,000 = 67 %; the median of the per-round ratios stays at 65 %.
		double[] baseline = { 6_000, 3_000, 6_200 };
		double[] variant = { 3_900, 4_000, 4_030 };
		assertThat(RoundRatios.medianRatio(variant, baseline)).isCloseTo(0.65, offset(1e-9));
		assertThat(RoundRatios.median(variant) / RoundRatios.median(baseline)).isCloseTo(0.667, offset(1e-3));
	}

	@Test
	void roundsOfDifferentCountsAreRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> RoundRatios.medianRatio(new double[] { 1, 2 },
				new double[] { 1 }))
			.withMessageContaining("rounds differ");
		assertThatIllegalArgumentException().isThrownBy(() -> RoundRatios.median(new double[0]));
	}

	@Test
	void roundsAreListedInRunOrderRounded() {
		assertThat(RoundRatios.rounded(new double[] { 4648.4, 3317.6, 4049 })).isEqualTo("[4648, 3318, 4049]");
	}

}
