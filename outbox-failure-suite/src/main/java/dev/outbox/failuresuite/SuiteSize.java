package dev.outbox.failuresuite;

import java.time.Duration;

/**
 * How big a run is: {@link #QUICK} in {@code ./mvnw verify} (CI), {@link #FULL} from
 * {@code scripts/failure-suite.sh}. Chosen with the system property {@value #PROPERTY}.
 *
 * @param name {@code quick} or {@code full}
 * @param writerThreads concurrent writer threads
 * @param eventsPerSecond target write rate over all writers
 * @param aggregates aggregates the writers pick from
 * @param eventsBetweenFaults events committed between two faults (the pipeline is busy when it is hit)
 * @param relayKills {@code kill -9} of the relay in one run
 * @param restarts graceful relay restarts, PostgreSQL restarts per mode, broker kills, network cuts
 * @param outage how long a cut link, a dead broker stays down
 * @param stall how long a stalled link stays silent
 * @param takeovers active relays killed under a standby
 * @param serviceKills {@code kill -9} of the writing service (outbox and baseline)
 */
public record SuiteSize(String name, int writerThreads, int eventsPerSecond, int aggregates, long eventsBetweenFaults,
		int relayKills, int restarts, Duration outage, Duration stall, int takeovers, int serviceKills) {

	/** System property choosing the size: {@code quick} (default) or {@code full}. */
	public static final String PROPERTY = "outbox.failure-suite.size";

	/** CI size: every scenario, at least 10 relay kills, a few minutes on 2 cores. */
	public static final SuiteSize QUICK = new SuiteSize("quick", 3, 600, 200, 1500, 10, 1, Duration.ofSeconds(7),
			Duration.ofSeconds(8), 2, 2);

	/** Full size: more load, more faults, and outages past the clients' own timeouts. */
	public static final SuiteSize FULL = new SuiteSize("full", 4, 1500, 1000, 6000, 25, 3, Duration.ofSeconds(15),
			Duration.ofSeconds(20), 4, 4);

	/** @return the size named by {@value #PROPERTY} */
	public static SuiteSize fromSystemProperty() {
		String name = System.getProperty(PROPERTY, "quick");
		return switch (name) {
			case "quick" -> QUICK;
			case "full" -> FULL;
			default -> throw new IllegalArgumentException(PROPERTY + " must be quick or full, was " + name);
		};
	}

}
