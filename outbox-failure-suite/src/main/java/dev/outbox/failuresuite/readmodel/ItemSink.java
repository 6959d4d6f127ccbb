package dev.outbox.failuresuite.readmodel;

import java.util.List;
import java.util.Set;

import org.springframework.jdbc.core.JdbcTemplate;

import dev.outbox.failuresuite.lab.Evidence.Observation;
import dev.outbox.failuresuite.lab.Workload;
import dev.outbox.failuresuite.scenario.WorkloadCheck.Judgement;
import dev.outbox.testsupport.delivery.Delivery;

/**
 * Where the item workloads' consumer ({@link ProjectionConsumer}) applies each change, and what
 * "correct" means there: one per workload that writes items ({@code read-model}, {@code search-index},
 * {@code audit-log}). The writer, the captures and the faults are the same for all three; only the
 * sink and its check differ.
 * <p>
 * Each sink creates, besides its table, the view {@value #REACHED}{@code (id, version, updated_at)}:
 * per item, the latest change the sink holds. The run waits on it and the faults pick their rows
 * from it, whatever the sink keeps.
 */
interface ItemSink {

	/** The view of the latest change the sink holds per item. */
	String REACHED = "rm_sink";

	/**
	 * Creates the sink's tables and the view {@value #REACHED}.
	 * @param jdbc the run's database
	 */
	void create(JdbcTemplate jdbc);

	/**
	 * Applies one delivered change, in the consumer's transaction.
	 * @param jdbc the database, in that transaction
	 * @param change the change
	 * @return whether it changed the sink; {@code false} when the sink's own check found it already held
	 */
	boolean apply(JdbcTemplate jdbc, ItemChange change);

	/**
	 * @return whether the sink is idempotent by itself (a version check), so that sink {@code idempotent}
	 * needs no inbox in front of it
	 */
	default boolean idempotentByVersion() {
		return false;
	}

	/**
	 * Judges a drained run.
	 * @param jdbc the run's database
	 * @param deliveries every record of the topic
	 * @param skipped deliveries the sink (or the inbox in front of it) skipped as already applied
	 * @param appliedMoreThanOnce the consumer's applications beyond one per event
	 * @param observed what was seen of the components
	 * @return the judgement
	 */
	Judgement judge(JdbcTemplate jdbc, List<Delivery> deliveries, long skipped, long appliedMoreThanOnce,
			Set<Observation> observed);

	/**
	 * @param workload an item workload
	 * @return its sink
	 * @throws IllegalArgumentException for a workload that does not write items
	 */
	static ItemSink of(Workload workload) {
		return switch (workload) {
			case READ_MODEL -> new Projection();
			case SEARCH_INDEX -> new SearchIndex();
			case AUDIT_LOG -> new AuditLog();
			default -> throw new IllegalArgumentException("workload " + workload.option() + " does not write items");
		};
	}

}
