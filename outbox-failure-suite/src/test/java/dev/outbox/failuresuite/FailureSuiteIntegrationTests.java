package dev.outbox.failuresuite;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.outbox.failuresuite.check.Report;
import dev.outbox.failuresuite.check.ScenarioResult;
import dev.outbox.failuresuite.rig.Rig;
import dev.outbox.failuresuite.scenario.Scenario;
import dev.outbox.failuresuite.scenario.Scenarios;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every failure scenario against the real pipeline, one at a time: each fails on its own when it
 * breaks an invariant (nothing committed missing, per-key order after dedup, no effect applied
 * twice), and the report (table, {@code latest.md}, {@code latest.json}) is written at the end.
 * <p>
 * {@code ./mvnw verify} runs the quick size; {@code scripts/failure-suite.sh} runs the full size
 * and writes the report to {@code failure-suite/results}. System properties:
 * {@value SuiteSize#PROPERTY} ({@code quick} or {@code full}), {@value #RESULTS_PROPERTY}
 * (default {@code target/failure-suite}), {@value #SCENARIOS_PROPERTY} (comma-separated ids, to
 * run some only), {@value #REVISION_PROPERTY} (for the report), {@value #RELAY_JAR_PROPERTY} (another
 * relay jar than {@code ../outbox-relay/target/outbox-relay.jar}) and
 * {@value #RELAY_PROPERTIES_PROPERTY} (comma-separated {@code key=value} settings added to every
 * relay's), to try a candidate relay or configuration against every scenario.
 * <p>
 * Tagged {@code pg-versions}: {@code scripts/test-pg-versions.sh} runs it on another PostgreSQL
 * version, narrowed to the scenario where versions differ ({@code postgres-failover}).
 */
@Tag("pg-versions")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FailureSuiteIntegrationTests {

	static final String RESULTS_PROPERTY = "outbox.failure-suite.results";

	static final String SCENARIOS_PROPERTY = "outbox.failure-suite.scenarios";

	static final String REVISION_PROPERTY = "outbox.failure-suite.revision";

	static final String RELAY_JAR_PROPERTY = "outbox.failure-suite.relay-jar";

	static final String RELAY_PROPERTIES_PROPERTY = "outbox.failure-suite.relay-properties";

	private final SuiteSize size = SuiteSize.fromSystemProperty();

	private final List<ScenarioResult> results = new ArrayList<>();

	private final Instant started = Instant.now();

	private Rig rig;

	private FailureSuite suite;

	@BeforeAll
	void startRig() {
		Path relayJar = Path.of(System.getProperty(RELAY_JAR_PROPERTY, "../outbox-relay/target/outbox-relay.jar"));
		List<String> relayProperties = Arrays.stream(System.getProperty(RELAY_PROPERTIES_PROPERTY, "").split(","))
			.map(String::trim)
			.filter((property) -> !property.isEmpty())
			.toList();
		this.rig = Rig.start(Path.of("target", "failure-suite", "work"), relayJar, relayProperties);
		this.suite = new FailureSuite(this.rig, this.size);
	}

	List<Scenario> scenarios() {
		String only = System.getProperty(SCENARIOS_PROPERTY, "");
		Set<String> ids = Arrays.stream(only.split(",")).map(String::trim).filter((id) -> !id.isEmpty())
			.collect(Collectors.toSet());
		List<Scenario> all = Scenarios.all(this.size);
		List<Scenario> chosen = all.stream().filter((scenario) -> ids.isEmpty() || ids.contains(scenario.id())).toList();
		assertThat(chosen).as("scenarios named by %s: %s; known: %s", SCENARIOS_PROPERTY, ids, all).isNotEmpty();
		return chosen;
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("scenarios")
	void scenarioKeepsEveryInvariant(Scenario scenario) {
		ScenarioResult result = this.suite.run(scenario);
		this.results.add(result);
		System.out.println("failure-suite: " + result.scenario() + " " + result.verdict() + " " + result.figures()
				+ " recoveries " + result.recoveries() + " notes " + result.notes());
		assertThat(result.violations()).as("%s broke invariants (logs in %s)", scenario.id(), this.rig.logs())
			.isEmpty();
	}

	@AfterAll
	void report() {
		try {
			if (!this.results.isEmpty()) {
				Map<String, Object> run = new LinkedHashMap<>();
				run.put("size", this.size.name());
				run.put("date", this.started.toString());
				run.put("revision", System.getProperty(REVISION_PROPERTY, "unknown"));
				run.put("cpus", Runtime.getRuntime().availableProcessors());
				run.put("postgresql", this.rig.postgresVersion());
				if (System.getProperty(RELAY_JAR_PROPERTY) != null) {
					run.put("relay jar", System.getProperty(RELAY_JAR_PROPERTY));
				}
				if (!System.getProperty(RELAY_PROPERTIES_PROPERTY, "").isBlank()) {
					run.put("relay properties", System.getProperty(RELAY_PROPERTIES_PROPERTY));
				}
				run.put("duration", Duration.between(this.started, Instant.now()).toSeconds() + "s");
				run.put("writers", this.size.writerThreads() + " threads, " + this.size.eventsPerSecond() + " events/s, "
						+ this.size.aggregates() + " aggregates, transactions of 1-50 events");
				Report report = new Report(run, this.results);
				report.write(Path.of(System.getProperty(RESULTS_PROPERTY, "target/failure-suite")));
				System.out.println("\n" + report.table());
			}
		}
		finally {
			if (this.rig != null) {
				this.rig.close();
			}
		}
	}

}
