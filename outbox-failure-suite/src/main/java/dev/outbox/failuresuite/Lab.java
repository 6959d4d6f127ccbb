package dev.outbox.failuresuite;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.outbox.failuresuite.check.Report;
import dev.outbox.failuresuite.check.ScenarioResult;
import dev.outbox.failuresuite.lab.Finding;
import dev.outbox.failuresuite.rig.Rig;
import dev.outbox.failuresuite.scenario.Scenario;

/**
 * The lab's command ({@code scripts/lab.sh}): runs one cell on the failure suite's rig and
 * scenario, prints the table and the verifier's findings, and writes {@code latest.md} and
 * {@code latest.json} with the failure suite's report. A cell no scenario runs yet is refused
 * before anything starts.
 * <p>
 * Run from the project's root, with the relay's jar built. Exit status: 0 when no invariant the
 * cell is held to broke, 1 when one did, 2 for a refused command line.
 */
public final class Lab {

	/** System property naming the revision, for the report. */
	static final String REVISION_PROPERTY = "outbox.lab.revision";

	private Lab() {
	}

	/**
	 * @param args the command line (see {@link LabOptions})
	 */
	public static void main(String[] args) {
		LabOptions options;
		Scenario scenario;
		try {
			options = LabOptions.parse(Arrays.asList(args));
			scenario = RunnableCells.scenario(options.cell(), options.size());
		}
		catch (IllegalArgumentException ex) {
			System.err.println("lab: " + ex.getMessage());
			System.exit(2);
			return;
		}
		System.err.println("lab: " + options.cell() + ", " + options.size().name() + " size, as failure-suite scenario "
				+ scenario.id());
		Instant started = Instant.now();
		ScenarioResult result;
		try (Rig rig = Rig.start(Path.of("outbox-failure-suite", "target", "lab", "work"),
				Path.of("outbox-relay", "target", "outbox-relay.jar"), List.of())) {
			result = new FailureSuite(rig, options.size()).run(scenario);
		}
		Map<String, Object> run = new LinkedHashMap<>();
		run.put("cell", options.cell().toString());
		run.put("size", options.size().name());
		run.put("date", started.toString());
		run.put("revision", System.getProperty(REVISION_PROPERTY, "unknown"));
		run.put("cpus", Runtime.getRuntime().availableProcessors());
		run.put("duration", Duration.between(started, Instant.now()).toSeconds() + "s");
		Report report = new Report(run, List.of(result));
		report.write(options.results(), "Lab: " + options.cell());
		System.out.println("\n" + report.table());
		for (Finding finding : result.findings()) {
			System.out.println((finding.outcome().broken() ? "red:   " : "green: ") + finding);
		}
		result.violations().forEach((violation) -> System.out.println("FAILED: " + violation));
		System.out.println("\nreport: " + options.results().resolve("latest.md") + ", "
				+ options.results().resolve("latest.json"));
		System.exit(result.passed() ? 0 : 1);
	}

}
