package dev.outbox.failuresuite.scenario;

/**
 * One failure scenario: a fault injected into the running pipeline, possibly many times.
 *
 * @param id short name, also its database, slot and topic
 * @param fault what is injected and how often, for the report
 * @param absorbedBy the component that absorbs the fault (the report adds the inbox's evidence)
 * @param lossExpected whether loss and disorder are the point (the dual-write baseline)
 * @param body what the scenario does, on a fresh {@link ScenarioRun}
 * @param writeMode the writing service's {@code outbox.write-mode}: {@code table}, {@code message} or
 * {@code retain}
 */
public record Scenario(String id, String fault, String absorbedBy, boolean lossExpected, Body body,
		String writeMode) {

	/** The starter's default write mode, INSERT+DELETE of an outbox row. */
	public static final String TABLE_MODE = "table";

	/**
	 * A scenario whose service writes in the default mode, {@value #TABLE_MODE}.
	 * @param id short name, also its database, slot and topic
	 * @param fault what is injected and how often, for the report
	 * @param absorbedBy the component that absorbs the fault
	 * @param lossExpected whether loss and disorder are the point
	 * @param body what the scenario does
	 */
	public Scenario(String id, String fault, String absorbedBy, boolean lossExpected, Body body) {
		this(id, fault, absorbedBy, lossExpected, body, TABLE_MODE);
	}

	/**
	 * The same fault with the service writing in another mode; the id and the fault say which.
	 * @param mode the {@code outbox.write-mode}
	 * @return the scenario in that mode
	 */
	public Scenario inWriteMode(String mode) {
		return new Scenario(this.id + "-" + mode, this.fault + ", events written in " + mode + " mode", this.absorbedBy,
				this.lossExpected, this.body, mode);
	}

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
