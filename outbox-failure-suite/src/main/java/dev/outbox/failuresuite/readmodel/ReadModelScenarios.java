package dev.outbox.failuresuite.readmodel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.outbox.failuresuite.SuiteSize;
import dev.outbox.failuresuite.lab.Capture;
import dev.outbox.failuresuite.lab.Cell;
import dev.outbox.failuresuite.lab.Fault;
import dev.outbox.failuresuite.lab.Pipeline;
import dev.outbox.failuresuite.lab.Sink;
import dev.outbox.failuresuite.lab.Workload;
import dev.outbox.failuresuite.scenario.Scenario;

/**
 * The lab's {@code read-model} cells: each polling capture, and our pipeline for the comparison,
 * under each fault that bites pollers (and that the capture has the components for), fired at the
 * point that exposes the design, so that a red outcome is never luck. Not part of the
 * failure suite's preset (our pipeline × every fault); the lab runs them one cell at a time.
 */
public final class ReadModelScenarios {

	/** Faults the read-model cells run, in order. */
	static final List<Fault> FAULTS = List.of(Fault.DELETE, Fault.UPDATE_THEN_DELETE, Fault.LONG_TRANSACTION,
			Fault.POLLER_KILL_9);

	/** Rows deleted (or updated, then deleted) per round of a fault. */
	static final int ROWS_PER_ROUND = 3;

	/**
	 * For {@code poller-kill-9}: the acknowledged batch of each poller process after which it parks,
	 * before recording it, to be killed there ({@link KillPoint}). The first batch of a restarted
	 * poller is what the last one left unrecorded; the third is past it.
	 */
	static final long PARK_AFTER_BATCH = 3;

	private ReadModelScenarios() {
	}

	/**
	 * @param size the run's size
	 * @return every read-model cell, polling-table first, our pipeline last; each with the inbox, then
	 * with the lab's {@code sink naive}
	 */
	public static List<Scenario> all(SuiteSize size) {
		List<Scenario> all = new ArrayList<>();
		for (Sink sink : List.of(Sink.IDEMPOTENT, Sink.NAIVE)) {
			for (Capture capture : List.of(Capture.POLLING_TABLE, Capture.POLLING_OUTBOX, Capture.LOG)) {
				for (Fault fault : FAULTS) {
					if (capture.components().containsAll(fault.needs())) {
						all.add(scenario(size, capture, sink, fault));
					}
				}
			}
		}
		return all;
	}

	static Scenario scenario(SuiteSize size, Capture capture, Sink sink, Fault fault) {
		Cell cell = new Cell(Workload.READ_MODEL,
				Pipeline.of(Map.of("capture", capture.option(), "sink", sink.option())), fault);
		String id = "read-model-" + capture.option() + ((sink == Sink.NAIVE) ? "-naive" : "") + "-" + fault.option();
		int rounds = rounds(size);
		int changesPerSecond = changesPerSecond(size);
		String description = switch (fault) {
			case DELETE -> rounds + "× " + ROWS_PER_ROUND + " projected rows deleted";
			case UPDATE_THEN_DELETE -> rounds + "× " + ROWS_PER_ROUND
					+ " projected rows updated, then deleted at once (two commits within a poll interval)";
			case LONG_TRANSACTION -> rounds + "× a transaction holding a new row uncommitted until a later commit "
					+ "reached the projection";
			case POLLER_KILL_9 -> rounds + "× kill -9 of the poller after Kafka acknowledged its batch "
					+ PARK_AFTER_BATCH + ", before recording it; restarted at once";
			default -> throw new IllegalArgumentException("fault " + fault.option() + " is not a read-model fault");
		};
		return new Scenario(id, description, cell, (run) -> {
			ReadModelRun model = ReadModelRun.start(run, id, capture, sink, changesPerSecond,
					(fault == Fault.POLLER_KILL_9) ? PARK_AFTER_BATCH : 0);
			model.awaitProjected(40);
			for (int i = 0; i < rounds; i++) {
				switch (fault) {
					case DELETE -> model.delete(ROWS_PER_ROUND);
					case UPDATE_THEN_DELETE -> model.updateThenDelete(ROWS_PER_ROUND);
					case LONG_TRANSACTION -> model.longTransaction();
					default -> model.killPoller(i < rounds - 1);
				}
				run.fault();
				model.awaitProgress(changesPerSecond / 2);
			}
		});
	}

	/**
	 * @param size the run's size
	 * @return rounds of the fault per run
	 */
	static int rounds(SuiteSize size) {
		return 2 * size.serviceKills();
	}

	/**
	 * @param size the run's size
	 * @return the writer's pace: one change per transaction, a third of the failure suite's event rate
	 */
	static int changesPerSecond(SuiteSize size) {
		return size.eventsPerSecond() / 3;
	}

}
