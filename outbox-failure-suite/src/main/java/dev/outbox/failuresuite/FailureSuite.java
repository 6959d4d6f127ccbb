package dev.outbox.failuresuite;

import dev.outbox.failuresuite.check.ScenarioResult;
import dev.outbox.failuresuite.rig.DatabaseServer;
import dev.outbox.failuresuite.rig.FailoverServers;
import dev.outbox.failuresuite.rig.Rig;
import dev.outbox.failuresuite.scenario.Scenario;
import dev.outbox.failuresuite.scenario.ScenarioRun;

/**
 * Runs scenarios one at a time on a {@link Rig}: each on a fresh run (database, service,
 * consumer, topic, slot), finished and judged even when its body failed, then torn down. A
 * failover's scenario gets a primary and standby of its own ({@link FailoverServers}).
 */
public final class FailureSuite {

	private final Rig rig;

	private final SuiteSize size;

	/**
	 * @param rig the servers and proxies
	 * @param size the run's size
	 */
	public FailureSuite(Rig rig, SuiteSize size) {
		this.rig = rig;
		this.size = size;
	}

	/**
	 * Runs one scenario.
	 * @param scenario the scenario
	 * @return its result; {@link ScenarioResult#passed()} tells whether every invariant held
	 */
	public ScenarioResult run(Scenario scenario) {
		long started = System.nanoTime();
		DatabaseServer server = scenario.needsStandby() ? FailoverServers.start(scenario.id()) : this.rig;
		try (ScenarioRun run = ScenarioRun.open(this.rig, server, this.size, scenario.id(), scenario.writeMode(),
				scenario.cell().pipeline())) {
			Throwable aborted = null;
			try {
				scenario.body().run(run);
			}
			catch (Exception | AssertionError ex) {
				aborted = ex;
			}
			return run.finish(scenario, aborted, started);
		}
	}

}
