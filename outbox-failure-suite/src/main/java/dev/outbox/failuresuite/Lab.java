package dev.outbox.failuresuite;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.outbox.failuresuite.check.MatrixPicture;
import dev.outbox.failuresuite.check.Report;
import dev.outbox.failuresuite.check.ScenarioResult;
import dev.outbox.failuresuite.lab.Cell;
import dev.outbox.failuresuite.lab.DesignCheck;
import dev.outbox.failuresuite.lab.Finding;
import dev.outbox.failuresuite.rig.Rig;
import dev.outbox.failuresuite.scenario.Scenario;

/**
 * The lab's command ({@code scripts/lab.sh}): runs one cell on the failure suite's rig and
 * scenario, prints the table and the verifier's findings, and writes {@code latest.md} and
 * {@code latest.json} with the failure suite's report. A cell no scenario runs yet is refused
 * before anything starts.
 * <p>
 * With {@code --matrix}, runs the canonical matrix ({@link LabMatrix}) instead and draws it
 * ({@code matrix.png}).
 * <p>
 * Run from the project's root, with the relay's jar built. Exit status: 0 when the cell (or every
 * cell of the matrix) came out as its design predicts ({@link DesignCheck}: our pipeline keeps every
 * invariant, another design breaks only where it differs from ours, every outcome traced), 1 when
 * not, 2 for a refused command line.
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
			Cell cell = options.cell();
			if (cell == null) {
				System.exit(matrix(options.results()) ? 0 : 1);
				return;
			}
			scenario = RunnableCells.scenario(cell, options.size());
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
		Report report = new Report(describe("cell", options.cell().toString(), options.size(), started),
				List.of(result));
		report.write(options.results(), "Lab: " + options.cell());
		System.out.println("\n" + report.table());
		for (Finding finding : result.findings()) {
			System.out.println((finding.outcome().broken() ? "red:   " : "green: ") + finding);
		}
		result.violations().forEach((violation) -> System.out.println("broken: " + violation));
		System.out.println("\nreport: " + options.results().resolve("latest.md") + ", "
				+ options.results().resolve("latest.json"));
		System.exit(asDesigned(options.cell(), result) ? 0 : 1);
	}

	/**
	 * @param cell a cell
	 * @param result its run
	 * @return whether it came out as its design predicts ({@link DesignCheck}): our pipeline with
	 * every invariant kept, another design breaking only where it differs from ours; says why not
	 */
	private static boolean asDesigned(Cell cell, ScenarioResult result) {
		List<String> surprises = DesignCheck.surprises(cell.pipeline(), result.findings(), result.violations());
		surprises.forEach((surprise) -> System.out.println("NOT AS DESIGNED: " + surprise));
		return surprises.isEmpty();
	}

	/**
	 * Runs the canonical matrix on one rig, cell after cell, and writes its report and picture.
	 * @param results where {@code latest.md}, {@code latest.json} and {@code matrix.png} go
	 * @return whether it came out as designed: every cell of our pipeline green, every outcome traced
	 */
	private static boolean matrix(Path results) {
		Instant started = Instant.now();
		Map<String, List<Cell>> designs = LabMatrix.designs();
		Map<String, Map<String, MatrixPicture.Mark>> marks = new LinkedHashMap<>();
		List<ScenarioResult> all = new ArrayList<>();
		boolean asDesigned = true;
		try (Rig rig = Rig.start(Path.of("outbox-failure-suite", "target", "lab", "work"),
				Path.of("outbox-relay", "target", "outbox-relay.jar"), List.of())) {
			FailureSuite suite = new FailureSuite(rig, SuiteSize.QUICK);
			for (Map.Entry<String, List<Cell>> design : designs.entrySet()) {
				for (Cell cell : design.getValue()) {
					System.err.println("lab: matrix cell " + design.getKey() + " x " + LabMatrix.column(cell));
					ScenarioResult result = suite.run(RunnableCells.scenario(cell, SuiteSize.QUICK));
					all.add(result);
					MatrixPicture.Mark mark = MatrixPicture.Mark.of(result);
					marks.computeIfAbsent(design.getKey(), (key) -> new LinkedHashMap<>()).put(LabMatrix.column(cell), mark);
					asDesigned &= asDesigned(cell, result);
				}
			}
		}
		Report report = new Report(describe("matrix", "the canonical set (docs/lab.md)", SuiteSize.QUICK, started), all);
		report.write(results, "Lab: the canonical matrix");
		MatrixPicture.write(marks, results.resolve("matrix.png"));
		System.out.println("\n" + report.table());
		System.out.println("\nreport: " + results.resolve("latest.md") + ", " + results.resolve("latest.json")
				+ ", picture: " + results.resolve("matrix.png"));
		if (!asDesigned) {
			System.out.println("NOT AS DESIGNED: a cell broke where its design does not explain it (above)");
		}
		return asDesigned;
	}

	private static Map<String, Object> describe(String kind, String what, SuiteSize size, Instant started) {
		Map<String, Object> run = new LinkedHashMap<>();
		run.put(kind, what);
		run.put("size", size.name());
		run.put("date", started.toString());
		run.put("revision", System.getProperty(REVISION_PROPERTY, "unknown"));
		run.put("cpus", Runtime.getRuntime().availableProcessors());
		run.put("duration", Duration.between(started, Instant.now()).toSeconds() + "s");
		return run;
	}

}
