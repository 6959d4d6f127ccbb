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
 * The lab's cells on the item workloads: {@code read-model} through each polling capture, and our
 * pipeline for the comparison, under each fault that bites pollers (and that the capture has the
 * components for), each with the inbox and with the lab's {@code sink naive}; {@code search-index}
 * and {@code audit-log} through our pipeline under the faults that matter to them (a relay killed,
 * whose redeliveries the sink must absorb; deletes and flips), and through the designs they tell
 * apart. Each fault is fired at the point that exposes the design, so that a red outcome is never
 * luck. Not part of the failure suite's preset (our pipeline × every fault); the lab runs them one
 * cell at a time.
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
	 * @return every cell on an item workload: read-model (polling-table first, our pipeline last; each
	 * with the inbox, then with the lab's {@code sink naive}), then search-index, then audit-log
	 */
	public static List<Scenario> all(SuiteSize size) {
		List<Scenario> all = new ArrayList<>();
		for (Sink sink : List.of(Sink.IDEMPOTENT, Sink.NAIVE)) {
			for (Capture capture : List.of(Capture.POLLING_TABLE, Capture.POLLING_OUTBOX, Capture.LOG)) {
				for (Fault fault : FAULTS) {
					if (capture.components().containsAll(fault.needs())) {
						all.add(scenario(size, Workload.READ_MODEL,
								Map.of("capture", capture.option(), "sink", sink.option()), fault));
					}
				}
			}
		}
		for (Capture capture : List.of(Capture.POLLING_TABLE, Capture.POLLING_OUTBOX, Capture.LOG)) {
			for (Fault fault : List.of(Fault.DELETE, Fault.UPDATE_THEN_DELETE)) {
				all.add(scenario(size, Workload.SEARCH_INDEX, capture(capture), fault));
			}
		}
		all.add(scenario(size, Workload.SEARCH_INDEX, capture(Capture.LOG), Fault.RELAY_KILL_9));
		for (Fault fault : List.of(Fault.RELAY_KILL_9, Fault.DELETE, Fault.UPDATE_THEN_DELETE)) {
			all.add(scenario(size, Workload.AUDIT_LOG, capture(Capture.LOG), fault));
		}
		all.add(scenario(size, Workload.AUDIT_LOG, Map.of("sink", Sink.NAIVE.option()), Fault.RELAY_KILL_9));
		for (Capture capture : List.of(Capture.POLLING_TABLE, Capture.POLLING_OUTBOX)) {
			all.add(scenario(size, Workload.AUDIT_LOG, capture(capture), Fault.UPDATE_THEN_DELETE));
		}
		all.add(scenario(size, Workload.AUDIT_LOG, capture(Capture.DUAL_WRITE), Fault.KILL_BETWEEN_COMMIT_AND_SEND));
		return all;
	}

	private static Map<String, String> capture(Capture capture) {
		return Map.of("capture", capture.option());
	}

	static Scenario scenario(SuiteSize size, Workload workload, Map<String, String> slots, Fault fault) {
		Cell cell = new Cell(workload, Pipeline.of(slots), fault);
		Capture capture = cell.pipeline().capture();
		Sink sink = cell.pipeline().sink();
		String id = workload.option() + "-" + capture.option() + ((sink == Sink.NAIVE) ? "-naive" : "") + "-"
				+ fault.option();
		int rounds = rounds(size);
		int changesPerSecond = changesPerSecond(size);
		String description = switch (fault) {
			case DELETE -> rounds + "× " + ROWS_PER_ROUND + " rows the sink holds deleted";
			case UPDATE_THEN_DELETE -> rounds + "× " + ROWS_PER_ROUND
					+ " rows the sink holds updated, then deleted at once (two commits within a poll interval)";
			case LONG_TRANSACTION -> rounds + "× a transaction holding a new row uncommitted until a later commit "
					+ "reached the sink";
			case POLLER_KILL_9 -> rounds + "× kill -9 of the poller after Kafka acknowledged its batch "
					+ PARK_AFTER_BATCH + ", before recording it; restarted at once";
			case RELAY_KILL_9 -> rounds + "× " + ROWS_PER_ROUND + " rows the sink holds updated, then deleted, and at once "
					+ "kill -9 of the relay, restarted at once";
			case KILL_BETWEEN_COMMIT_AND_SEND -> rounds + "× the service dead after the commit of a change, before its send";
			default -> throw new IllegalArgumentException("fault " + fault.option() + " is not an item workload's fault");
		} + ((sink == Sink.NAIVE) ? ", the consumer without the inbox" : "");
		return new Scenario(id, description, cell, (run) -> {
			ReadModelRun model = ReadModelRun.start(run, id, workload, capture, sink, changesPerSecond,
					(fault == Fault.POLLER_KILL_9) ? PARK_AFTER_BATCH : 0);
			model.awaitProjected(40);
			for (int i = 0; i < rounds; i++) {
				switch (fault) {
					case DELETE -> model.delete(ROWS_PER_ROUND);
					case UPDATE_THEN_DELETE -> model.updateThenDelete(ROWS_PER_ROUND);
					case LONG_TRANSACTION -> model.longTransaction();
					case RELAY_KILL_9 -> {
						// Deletes among what the relay has sent and not confirmed: redelivered after the kill.
						model.updateThenDelete(ROWS_PER_ROUND);
						model.killRelay();
					}
					case KILL_BETWEEN_COMMIT_AND_SEND -> model.killBetweenCommitAndSend();
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
