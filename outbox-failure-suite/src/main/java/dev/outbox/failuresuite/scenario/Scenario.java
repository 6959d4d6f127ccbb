package dev.outbox.failuresuite.scenario;

import dev.outbox.failuresuite.lab.Capture;
import dev.outbox.failuresuite.lab.Cell;
import dev.outbox.failuresuite.lab.Checkpoint;
import dev.outbox.failuresuite.lab.Choice;
import dev.outbox.failuresuite.lab.Fault;
import dev.outbox.failuresuite.lab.Pipeline;
import dev.outbox.failuresuite.lab.WriteMode;
import dev.outbox.failuresuite.lab.Workload;

/**
 * One failure scenario: a fault injected into the running pipeline, possibly many times. What
 * absorbed it (or, for the baseline, broke) is not written here: the verifier traces it from the
 * run's evidence ({@link dev.outbox.failuresuite.lab.DecisionTable}).
 *
 * @param id short name, also its database, slot and topic
 * @param fault what is injected and how often, for the report
 * @param cell the lab's cell it runs: the suite's workload, the pipeline and the fault
 * @param body what the scenario does, on a fresh {@link ScenarioRun}
 */
public record Scenario(String id, String fault, Cell cell, Body body) {

	/** The starter's default write mode, INSERT+DELETE of an outbox row. */
	public static final String TABLE_MODE = "table";

	/**
	 * A scenario of our pipeline, named by its fault.
	 * @param fault the lab's fault, whose option is the scenario's id
	 * @param description what is injected and how often, for the report
	 * @param body what the scenario does
	 */
	public Scenario(Fault fault, String description, Body body) {
		this(fault.option(), description, new Cell(Workload.MICROSERVICE_EVENTS, Pipeline.OURS, fault), body);
	}

	/**
	 * @return whether loss and disorder are the point: a "save, then send" pipeline, the baseline, or
	 * the lab's relay that confirms on send
	 */
	public boolean lossExpected() {
		return this.cell.pipeline().capture() == Capture.DUAL_WRITE
				|| this.cell.pipeline().checkpoint() == Checkpoint.CONFIRM_ON_SEND;
	}

	/** @return whether it runs on a primary and standby of its own ({@link Fault#POSTGRES_FAILOVER}) */
	public boolean needsStandby() {
		return this.cell.fault() == Fault.POSTGRES_FAILOVER;
	}

	/**
	 * @return the writing service's {@code outbox.write-mode}: {@code table}, {@code message} or
	 * {@code retain} ({@code table} for the in-process service of a pipeline without the starter)
	 */
	public String writeMode() {
		WriteMode mode = this.cell.pipeline().writeMode();
		return (mode == WriteMode.NONE) ? TABLE_MODE : mode.option();
	}

	/**
	 * The same fault with the service writing in another mode; the id and the fault say which.
	 * @param mode the {@code outbox.write-mode}
	 * @return the scenario in that mode
	 */
	public Scenario inWriteMode(String mode) {
		Pipeline pipeline = this.cell.pipeline();
		Pipeline inMode = new Pipeline(pipeline.capture(), Choice.parse("write mode", mode, WriteMode.class),
				pipeline.key(), pipeline.checkpoint(), pipeline.sink(), pipeline.slotGuard());
		return new Scenario(this.id + "-" + mode, this.fault + ", events written in " + mode + " mode",
				new Cell(this.cell.workload(), inMode, this.cell.fault()), this.body);
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
