package dev.outbox.failuresuite.scenario;

import java.util.List;
import java.util.Set;

import dev.outbox.failuresuite.check.Figures;
import dev.outbox.failuresuite.lab.Evidence;
import dev.outbox.failuresuite.lab.Evidence.Observation;

/**
 * A lab workload's own judgement of a run, in place of the failure suite's (events per aggregate,
 * counted by the inbox consumer): it stops its writing, lets its pipeline deliver, and compares
 * what the sink holds with what the source committed. Set with {@link ScenarioRun#judgeBy}.
 */
public interface WorkloadCheck extends AutoCloseable {

	/**
	 * Stops writing, waits for the pipeline to deliver what it will, and judges.
	 * @param observed what was seen of the components while the run was on
	 * @return the figures, the evidence for the verifier, violations and notes
	 */
	Judgement judge(Set<Observation> observed);

	/** Stops whatever the workload runs; idempotent. */
	@Override
	void close();

	/**
	 * A workload's judgement.
	 *
	 * @param figures the delivery checker's figures, for the report's table
	 * @param evidence the run's evidence, for the decision table
	 * @param violations invariants of the workload that broke, besides those the figures show
	 * @param notes evidence worth reading
	 */
	record Judgement(Figures figures, Evidence evidence, List<String> violations, List<String> notes) {
	}

}
