package dev.outbox.failuresuite;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.outbox.failuresuite.lab.Cell;
import dev.outbox.failuresuite.lab.Workload;

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
		Map<String, String> ours = Map.of();
		Map<String, String> dualWrite = Map.of("capture", "dual-write");
		Map<String, String> pollingTable = Map.of("capture", "polling-table");
		Map<String, String> pollingOutbox = Map.of("capture", "polling-outbox");
		Map<String, List<Cell>> designs = new LinkedHashMap<>();
		designs.put(OURS, List.of(events(ours, "relay-kill-9"), events(ours, "kafka-broker-kill"),
				events(ours, "postgres-restart-immediate"), events(ours, "relay-kafka-stall-then-kill-9"),
				events(ours, "service-kill-9"), events(ours, "retained-wal-critical"), readModel(ours, "delete"),
				readModel(ours, "update-then-delete"), readModel(ours, "long-transaction"), searchIndex(ours, "relay-kill-9"),
				searchIndex(ours, "update-then-delete"), auditLog(ours, "relay-kill-9"),
				auditLog(ours, "update-then-delete")));
		designs.put("capture dual-write",
				List.of(events(dualWrite, "kill-between-commit-and-send"), events(dualWrite, "service-kill-9"),
						auditLog(dualWrite, "kill-between-commit-and-send")));
		designs.put("capture polling-table", List.of(readModel(pollingTable, "delete"),
				readModel(pollingTable, "update-then-delete"), readModel(pollingTable, "long-transaction"),
				readModel(pollingTable, "poller-kill-9"), searchIndex(pollingTable, "update-then-delete"),
				auditLog(pollingTable, "update-then-delete")));
		designs.put("capture polling-outbox", List.of(readModel(pollingOutbox, "delete"),
				readModel(pollingOutbox, "update-then-delete"), readModel(pollingOutbox, "long-transaction"),
				readModel(pollingOutbox, "poller-kill-9"), auditLog(pollingOutbox, "update-then-delete")));
		designs.put("checkpoint confirm-on-send",
				List.of(events(Map.of("checkpoint", "confirm-on-send"), "relay-kafka-stall-then-kill-9")));
		designs.put("sink naive", List.of(events(Map.of("sink", "naive"), "relay-kill-9"),
				readModel(Map.of("capture", "polling-outbox", "sink", "naive"), "poller-kill-9"),
				auditLog(Map.of("sink", "naive"), "relay-kill-9")));
		designs.put("key none", List.of(events(Map.of("key", "none"), "relay-kill-9")));
		designs.put("slot-guard off", List.of(events(Map.of("slot-guard", "off"), "retained-wal-critical")));
		return designs;
	}

	/**
	 * @param cell a cell of the matrix
	 * @return its column in the picture: its fault, after its workload unless that is the failure
	 * suite's, so that one fault on two workloads makes two columns
	 */
	public static String column(Cell cell) {
		return (cell.workload() == Workload.MICROSERVICE_EVENTS) ? cell.fault().option()
				: cell.workload().option() + ": " + cell.fault().option();
	}

	/** A cell on the failure suite's workload: domain events per aggregate. */
	private static Cell events(Map<String, String> slots, String fault) {
		return Cell.of("microservice-events", slots, fault);
	}

	/** A cell on the read-model workload: rows inserted, updated and deleted, and a projection of them. */
	private static Cell readModel(Map<String, String> slots, String fault) {
		return Cell.of("read-model", slots, fault);
	}

	/** A cell on the search-index workload: documents upserted and deleted, the index against the source. */
	private static Cell searchIndex(Map<String, String> slots, String fault) {
		return Cell.of("search-index", slots, fault);
	}

	/** A cell on the audit-log workload: every change exactly once, in per-entity order. */
	private static Cell auditLog(Map<String, String> slots, String fault) {
		return Cell.of("audit-log", slots, fault);
	}

}
