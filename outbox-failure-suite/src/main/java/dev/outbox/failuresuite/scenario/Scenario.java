package dev.outbox.failuresuite.scenario;

/**
 * One failure scenario: a fault injected into the running pipeline, possibly many times.
 *
 * @param id short name, also its database, slot and topic
 * @param fault what is injected and how often, for the report
 * @param absorbedBy the component that absorbs the fault (the report adds the inbox's evidence)
 * @param lossExpected whether loss and disorder are the point (the dual-write baseline)
 * @param body what the scenario does, on a fresh {@link ScenarioRun}
 */
public record Scenario(String id, String fault, String absorbedBy, boolean lossExpected, Body body) {

	/** What a scenario does between opening and finishing its run. */
	@FunctionalInterface
	public interface Body {

		/**
		 * Starts the relays and writers it needs and injects its faults.
		 * @param run the scenario's pipeline
		 * @throws Exception anything that aborts it; reported as a failure
		 */
		void run(ScenarioRun run) throws Exception;

	}

	@Override
	public String toString() {
		return this.id;
	}

}
