package dev.outbox.failuresuite;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.outbox.failuresuite.lab.Cell;

/**
 * The lab's canonical matrix ({@code scripts/lab.sh --matrix}): each design of a pipeline under the
 * faults that tell it apart from ours, and our pipeline under the same faults and those it is built
 * to absorb. Rows are designs, columns faults. Every cell runs at the quick size, so that the whole
 * matrix fits in the time docs/lab.md gives for it on two cores; a unit test keeps every cell
 * runnable, so the list never names a cell the lab would refuse.
 */
public final class LabMatrix {

	/** Our pipeline's row. */
	public static final String OURS = "ours";

	private LabMatrix() {
	}

	/**
	 * @return the designs, in the picture's order, each with its cells in the order they run
	 */
	public static Map<String, List<Cell>> designs() {
		Map<String, List<Cell>> designs = new LinkedHashMap<>();
		designs.put(OURS, List.of(cell(Map.of(), "relay-kill-9"), cell(Map.of(), "kafka-broker-kill"),
				cell(Map.of(), "postgres-restart-immediate"), cell(Map.of(), "relay-kafka-stall-then-kill-9"),
				cell(Map.of(), "service-kill-9")));
		designs.put("capture dual-write", List.of(cell(Map.of("capture", "dual-write"), "kill-between-commit-and-send"),
				cell(Map.of("capture", "dual-write"), "service-kill-9")));
		designs.put("checkpoint confirm-on-send",
				List.of(cell(Map.of("checkpoint", "confirm-on-send"), "relay-kafka-stall-then-kill-9")));
		designs.put("sink naive", List.of(cell(Map.of("sink", "naive"), "relay-kill-9")));
		return designs;
	}

	private static Cell cell(Map<String, String> slots, String fault) {
		return Cell.of("microservice-events", slots, fault);
	}

}
