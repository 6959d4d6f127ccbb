package dev.outbox.failuresuite.lab;

import java.util.function.BiPredicate;

/**
 * One row of the {@link DecisionTable}: when a run shows {@code outcome} and {@code applies} holds
 * for its cell and evidence, the outcome is traced to {@code slot} and {@code component}, and
 * {@code concept} says why.
 *
 * @param outcome the outcome it explains
 * @param when the condition in words, as the lab's docs page states it
 * @param applies the condition
 * @param slot the slot responsible
 * @param component the component responsible
 * @param concept the concept behind it
 */
public record Rule(Outcome outcome, String when, BiPredicate<Cell, Evidence> applies, Slot slot, Component component,
		String concept) {
}
