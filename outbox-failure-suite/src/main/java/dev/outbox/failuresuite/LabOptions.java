package dev.outbox.failuresuite;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.outbox.failuresuite.lab.Cell;
import dev.outbox.failuresuite.lab.Choice;
import dev.outbox.failuresuite.lab.Fault;
import dev.outbox.failuresuite.lab.Pipeline;
import dev.outbox.failuresuite.lab.Slot;
import dev.outbox.failuresuite.lab.Workload;

/**
 * The lab command's options: one cell ({@code --workload}, the six slots {@code --capture},
 * {@code --write-mode}, {@code --key}, {@code --checkpoint}, {@code --sink}, {@code --slot-guard},
 * and {@code --fault}), the run's size ({@code --quick}) and where the report goes
 * ({@code --results}). Each option is written {@code --name value} or {@code --name=value}. An
 * omitted slot takes our default ({@link Pipeline#of}); an omitted workload is
 * {@link Workload#MICROSERVICE_EVENTS}; the fault must be given. {@code --matrix} runs the canonical
 * matrix ({@link LabMatrix}) instead of one cell, at the quick size, and takes no cell's options.
 *
 * @param cell the cell to run, or {@code null} for the matrix
 * @param size the run's size: {@link SuiteSize#FULL} unless {@code --quick} (the matrix: quick)
 * @param results where {@code latest.md} and {@code latest.json} go (and the matrix's {@code matrix.png})
 */
public record LabOptions(@Nullable Cell cell, SuiteSize size, Path results) {

	/** Where the report goes unless {@code --results} says otherwise, relative to the project's root. */
	public static final Path DEFAULT_RESULTS = Path.of("target", "lab");

	private static final String WORKLOAD = "workload";

	private static final String FAULT = "fault";

	private static final String RESULTS = "results";

	private static final String MATRIX = "--matrix";

	/**
	 * Reads the command line.
	 * @param args the arguments, as given to {@code scripts/lab.sh}
	 * @return the options
	 * @throws IllegalArgumentException for an unknown option, a missing or repeated value, an unknown
	 * value, a pipeline that makes no sense or a fault it cannot take, naming the option and the fix
	 */
	public static LabOptions parse(List<String> args) {
		Map<String, String> given = new LinkedHashMap<>();
		boolean quick = false;
		boolean matrix = false;
		for (int i = 0; i < args.size(); i++) {
			String arg = args.get(i);
			if ("--quick".equals(arg)) {
				quick = true;
				continue;
			}
			if (MATRIX.equals(arg)) {
				matrix = true;
				continue;
			}
			if (!arg.startsWith("--") || arg.length() == 2) {
				throw new IllegalArgumentException("unexpected argument '" + arg + "'; options are " + options());
			}
			int equals = arg.indexOf('=');
			String name = (equals < 0) ? arg.substring(2) : arg.substring(2, equals);
			if (!known(name)) {
				throw new IllegalArgumentException("unknown option --" + name + "; options are " + options());
			}
			String value;
			if (equals >= 0) {
				value = arg.substring(equals + 1);
			}
			else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
				value = args.get(++i);
			}
			else {
				throw new IllegalArgumentException("option --" + name + " needs a value: --" + name + " VALUE or --"
						+ name + "=VALUE");
			}
			if (value.isBlank()) {
				throw new IllegalArgumentException("option --" + name + " needs a value, was empty");
			}
			if (given.putIfAbsent(name, value) != null) {
				throw new IllegalArgumentException("option --" + name + " given twice (" + given.get(name) + ", " + value
						+ "); give it once");
			}
		}
		Path results = Path.of(given.getOrDefault(RESULTS, DEFAULT_RESULTS.toString()));
		if (matrix) {
			List<String> cellOptions = given.keySet().stream().filter((name) -> !RESULTS.equals(name)).toList();
			if (!cellOptions.isEmpty()) {
				throw new IllegalArgumentException(MATRIX + " runs the canonical set of cells (docs/lab.md); leave out --"
						+ String.join(", --", cellOptions) + ", or leave out " + MATRIX + " to run one cell");
			}
			return new LabOptions(null, SuiteSize.QUICK, results);
		}
		Map<String, String> slots = new LinkedHashMap<>(given);
		slots.keySet().removeAll(List.of(WORKLOAD, FAULT, RESULTS));
		Pipeline pipeline = Pipeline.of(slots);
		String fault = given.get(FAULT);
		if (fault == null) {
			throw new IllegalArgumentException("option --fault is missing; faults that fit pipeline " + pipeline + ": "
					+ fits(pipeline));
		}
		Cell cell = Cell.of(given.getOrDefault(WORKLOAD, Workload.MICROSERVICE_EVENTS.option()), slots, fault);
		return new LabOptions(cell, quick ? SuiteSize.QUICK : SuiteSize.FULL, results);
	}

	private static boolean known(String name) {
		return WORKLOAD.equals(name) || FAULT.equals(name) || RESULTS.equals(name)
				|| List.of(Slot.values()).stream().anyMatch((slot) -> slot.option().equals(name));
	}

	private static String options() {
		List<String> options = new ArrayList<>();
		options.add("--" + WORKLOAD + " (" + Choice.options(Workload.class) + ")");
		for (Slot slot : Slot.values()) {
			options.add("--" + slot.option());
		}
		options.add("--" + FAULT);
		options.add("--quick");
		options.add(MATRIX);
		options.add("--" + RESULTS + " DIR");
		return String.join(", ", options);
	}

	private static String fits(Pipeline pipeline) {
		return List.of(Fault.values())
			.stream()
			.filter((fault) -> pipeline.components().containsAll(fault.needs()))
			.map(Fault::option)
			.reduce((a, b) -> a + ", " + b)
			.orElse("none");
	}

}
