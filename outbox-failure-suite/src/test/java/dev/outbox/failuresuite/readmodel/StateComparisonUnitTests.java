package dev.outbox.failuresuite.readmodel;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.outbox.failuresuite.readmodel.StateComparison.State;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A sink that keeps each item's last state is correct when it equals the source table: a delete it
 * never applied and a stale value are both named, the first difference by item.
 */
class StateComparisonUnitTests {

	@Test
	void aSinkEqualToTheSourceShowsNothing() {
		Map<Long, State> source = Map.of(1L, new State(2, "a"), 2L, new State(1, "b"));
		assertThat(StateComparison.compare(source, Map.copyOf(source))).isEqualTo(new StateComparison(0, 0, ""));
	}

	@Test
	void anItemTheSourceDeletedAndTheSinkStillHoldsIsADeleteNeverApplied() {
		StateComparison compared = StateComparison.compare(Map.of(1L, new State(2, "a")),
				Map.of(1L, new State(2, "a"), 7L, new State(3, "gone")));
		assertThat(compared.deletedStillHeld()).isEqualTo(1);
		assertThat(compared.differing()).isEqualTo(1);
		assertThat(compared.firstDifference()).isEqualTo("item-7 source none, sink v3");
	}

	@Test
	void anOlderVersionOrAnotherValueIsStaleAndAnItemTheSinkLacksDiffersToo() {
		StateComparison compared = StateComparison.compare(
				Map.of(1L, new State(3, "c"), 2L, new State(1, "b"), 3L, new State(1, "x")),
				Map.of(1L, new State(2, "b"), 2L, new State(1, "other")));
		assertThat(compared.deletedStillHeld()).isZero();
		assertThat(compared.differing()).isEqualTo(3);
		assertThat(compared.firstDifference()).isEqualTo("item-1 source v3, sink v2");
	}

}
