package dev.outbox.failuresuite.check;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import dev.outbox.failuresuite.lab.Finding;
import dev.outbox.failuresuite.lab.Rule;

/**
 * The suite's output: a table on the console, the same table as Markdown
 * ({@code latest.md}) and everything as JSON ({@code latest.json}).
 */
public final class Report {

	private static final List<String> HEADER = List.of("scenario", "fault", "committed", "delivered", "missing",
			"duplicates", "order violations", "effects >1", "recovery (max)", "traced to", "result");

	private final Map<String, Object> run;

	private final List<ScenarioResult> results;

	/**
	 * @param run facts about the run (size, date, revision, machine)
	 * @param results the scenarios' results, in run order
	 */
	public Report(Map<String, Object> run, List<ScenarioResult> results) {
		this.run = run;
		this.results = results;
	}

	/** @return the table as fixed-width text */
	public String table() {
		List<List<String>> rows = rows();
		int[] widths = new int[HEADER.size()];
		for (List<String> row : rows) {
			for (int i = 0; i < row.size(); i++) {
				widths[i] = Math.max(widths[i], row.get(i).length());
			}
		}
		StringBuilder text = new StringBuilder();
		for (int r = 0; r < rows.size(); r++) {
			List<String> row = rows.get(r);
			for (int i = 0; i < row.size(); i++) {
				boolean number = i >= 2 && i <= 8 && r > 0;
				String cell = row.get(i);
				String padded = number ? " ".repeat(widths[i] - cell.length()) + cell
						: cell + " ".repeat(widths[i] - cell.length());
				text.append(i == 0 ? "" : " | ").append(padded);
			}
			text.append('\n');
			if (r == 0) {
				for (int i = 0; i < widths.length; i++) {
					text.append(i == 0 ? "" : "-|-").append("-".repeat(widths[i]));
				}
				text.append('\n');
			}
		}
		return text.toString();
	}

	/** @return the table and the violations as Markdown */
	public String markdown() {
		List<List<String>> rows = rows();
		StringBuilder text = new StringBuilder();
		text.append("| ").append(String.join(" | ", rows.get(0))).append(" |\n|");
		for (int i = 0; i < HEADER.size(); i++) {
			text.append((i >= 2 && i <= 8) ? "---:|" : "---|");
		}
		text.append('\n');
		for (List<String> row : rows.subList(1, rows.size())) {
			text.append("| ").append(String.join(" | ", row.stream().map((cell) -> cell.replace("|", "\\|")).toList()))
				.append(" |\n");
		}
		text.append('\n').append(footer());
		return text.toString();
	}

	private String footer() {
		StringBuilder text = new StringBuilder();
		text.append("Run: ");
		List<String> facts = new ArrayList<>();
		this.run.forEach((key, value) -> facts.add(key + " " + value));
		text.append(String.join(", ", facts)).append(".\n");
		for (ScenarioResult result : this.results) {
			for (String violation : result.violations()) {
				text.append("\n- **").append(result.scenario()).append("** FAILED: ").append(violation);
			}
			for (String note : result.notes()) {
				text.append("\n- ").append(result.scenario()).append(": ").append(note);
			}
		}
		return text.append('\n').toString();
	}

	private List<List<String>> rows() {
		List<List<String>> rows = new ArrayList<>();
		rows.add(HEADER);
		for (ScenarioResult result : this.results) {
			Figures figures = result.figures();
			rows.add(List.of(result.scenario(), result.fault(), String.valueOf(figures.committed()),
					String.valueOf(figures.delivered()), String.valueOf(figures.missing()),
					String.valueOf(figures.duplicates()), String.valueOf(figures.orderViolations()),
					String.valueOf(figures.effectsAppliedMoreThanOnce()),
					result.recoveries().isEmpty() ? "n/a" : seconds(result.maxRecovery()),
					result.tracedTo(), result.verdict()));
		}
		return rows;
	}

	private static String seconds(Duration duration) {
		return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
	}

	private static Map<String, Object> finding(Finding finding) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("outcome", finding.outcome().option());
		json.put("broken", finding.outcome().broken());
		json.put("evidence", finding.evidence());
		Rule rule = finding.rule();
		json.put("slot", (rule != null) ? rule.slot().option() : "unexplained");
		json.put("component", (rule != null) ? rule.component().label() : "unexplained");
		json.put("concept", (rule != null) ? rule.concept() : "unexplained");
		return json;
	}

	/**
	 * Writes {@code latest.json} and {@code latest.md}, titled as the failure suite's.
	 * @param directory where
	 */
	public void write(Path directory) {
		write(directory, "Failure suite: latest run");
	}

	/**
	 * Writes {@code latest.json} and {@code latest.md}.
	 * @param directory where
	 * @param title the Markdown's heading
	 */
	public void write(Path directory, String title) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("run", this.run);
		List<Map<String, Object>> scenarios = new ArrayList<>();
		for (ScenarioResult result : this.results) {
			Map<String, Object> scenario = new LinkedHashMap<>();
			scenario.put("scenario", result.scenario());
			scenario.put("fault", result.fault());
			scenario.put("faultsInjected", result.faults());
			scenario.put("result", result.verdict());
			scenario.put("passed", result.passed());
			scenario.put("lossExpected", result.lossExpected());
			scenario.put("figures", result.figures());
			scenario.put("inboxDuplicatesSkipped", result.inboxDuplicatesSkipped());
			scenario.put("recoverySeconds", result.recoveries().stream().map((d) -> d.toMillis() / 1000.0).toList());
			scenario.put("maxRecoverySeconds", result.maxRecovery().toMillis() / 1000.0);
			scenario.put("tracedTo", result.findings().stream().map(Report::finding).toList());
			scenario.put("violations", result.violations());
			scenario.put("notes", result.notes());
			scenario.put("elapsedSeconds", result.elapsed().toMillis() / 1000.0);
			scenarios.add(scenario);
		}
		json.put("scenarios", scenarios);
		try {
			Files.createDirectories(directory);
			Files.writeString(directory.resolve("latest.json"),
					JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build().writeValueAsString(json) + "\n");
			Files.writeString(directory.resolve("latest.md"), "# " + title + "\n\n" + markdown());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write the report to " + directory, ex);
		}
	}

}
