package dev.outbox.failuresuite;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.outbox.failuresuite.lab.Capture;
import dev.outbox.failuresuite.lab.Cell;
import dev.outbox.failuresuite.lab.Checkpoint;
import dev.outbox.failuresuite.lab.Choice;
import dev.outbox.failuresuite.lab.Fault;
import dev.outbox.failuresuite.lab.Key;
import dev.outbox.failuresuite.lab.Pipeline;
import dev.outbox.failuresuite.lab.Sink;
import dev.outbox.failuresuite.lab.SlotGuard;
import dev.outbox.failuresuite.lab.Workload;
import dev.outbox.failuresuite.lab.WriteMode;
import dev.outbox.failuresuite.readmodel.ReadModelScenarios;
import dev.outbox.failuresuite.scenario.LabScenarios;
import dev.outbox.failuresuite.scenario.Scenario;
import dev.outbox.failuresuite.scenario.Scenarios;

/**
 * Which lab cells run today, and on what: a cell runs when a scenario runs it (the failure suite's,
 * {@link Scenarios}, or the lab's own, {@link LabScenarios} and, for the item workloads
 * {@code read-model}, {@code search-index} and {@code audit-log}, {@link ReadModelScenarios}), either as
 * the scenario's own cell or as one of our pipeline's scenarios with the service writing in another
 * write mode. The scenarios are the one list of what runs; this class adds no cell of its own. Any
 * other cell is refused, naming each part it needs that is not built yet.
 */
public final class RunnableCells {

	/**
	 * What each value no scenario runs would need, for the refusal. A test keeps every value no scenario runs in it, and every value
	 * our pipeline's scenarios run out of it, so that a refusal never lacks its reason and no reason
	 * outlives its building.
	 */
	static final Map<Choice, String> NOT_BUILT = Map.of();

	private RunnableCells() {
	}

	/**
	 * Finds the scenario that runs a cell.
	 * @param cell the cell asked for
	 * @param size the run's size
	 * @return the failure-suite scenario that runs it
	 * @throws IllegalArgumentException when none does, naming what the cell needs that is not built
	 * yet and what runs today
	 */
	public static Scenario scenario(Cell cell, SuiteSize size) {
		return find(cell, scenarios(size)).orElseThrow(() -> new IllegalArgumentException(refusal(cell, size)));
	}

	/**
	 * @param size the run's size
	 * @return every cell a scenario runs, write-mode variants of our pipeline's included
	 */
	public static Set<Cell> all(SuiteSize size) {
		Set<Cell> cells = new LinkedHashSet<>();
		for (Scenario scenario : scenarios(size)) {
			cells.add(scenario.cell());
			if (scenario.cell().pipeline().capture() == Capture.LOG) {
				for (WriteMode mode : WriteMode.values()) {
					if (mode != WriteMode.NONE) {
						cells.add(inWriteMode(scenario.cell(), mode));
					}
				}
			}
		}
		return cells;
	}

	/** @return the failure suite's scenarios, then the lab's own (its variants' and the read-model workload's) */
	private static List<Scenario> scenarios(SuiteSize size) {
		List<Scenario> all = new ArrayList<>(Scenarios.all(size));
		all.addAll(LabScenarios.all(size));
		all.addAll(ReadModelScenarios.all(size));
		return all;
	}

	private static Optional<Scenario> find(Cell cell, List<Scenario> scenarios) {
		Optional<Scenario> own = scenarios.stream().filter((scenario) -> scenario.cell().equals(cell)).findFirst();
		if (own.isPresent() || cell.pipeline().capture() != Capture.LOG) {
			return own;
		}
		Cell inTableMode = inWriteMode(cell, WriteMode.TABLE);
		return scenarios.stream()
			.filter((scenario) -> scenario.cell().equals(inTableMode))
			.findFirst()
			.map((scenario) -> scenario.inWriteMode(cell.pipeline().writeMode().option()));
	}

	private static Cell inWriteMode(Cell cell, WriteMode mode) {
		Pipeline pipeline = cell.pipeline();
		return new Cell(cell.workload(), new Pipeline(pipeline.capture(), mode, pipeline.key(), pipeline.checkpoint(),
				pipeline.sink(), pipeline.slotGuard()), cell.fault());
	}

	private static String refusal(Cell cell, SuiteSize size) {
		Set<Cell> runnable = all(size);
		Pipeline pipeline = cell.pipeline();
		List<Cell> sameCapture = runnable.stream().filter((c) -> c.pipeline().capture() == pipeline.capture()).toList();
		List<String> missing = new ArrayList<>();
		missing(missing, "workload", cell.workload(), runnable, Cell::workload);
		missing(missing, "capture", pipeline.capture(), runnable, (c) -> c.pipeline().capture());
		Set<Cell> slots = sameCapture.isEmpty() ? runnable : Set.copyOf(sameCapture);
		missing(missing, "key", pipeline.key(), slots, (c) -> c.pipeline().key());
		missing(missing, "checkpoint", pipeline.checkpoint(), slots, (c) -> c.pipeline().checkpoint());
		missing(missing, "sink", pipeline.sink(), slots, (c) -> c.pipeline().sink());
		missing(missing, "slot-guard", pipeline.slotGuard(), slots, (c) -> c.pipeline().slotGuard());
		if (!sameCapture.isEmpty() && sameCapture.stream().noneMatch((c) -> c.fault() == cell.fault())) {
			missing.add("fault " + cell.fault().option() + " with capture " + pipeline.capture().option() + " needs "
					+ NOT_BUILT.getOrDefault(cell.fault(), "a scenario firing it at this capture"));
		}
		else if (sameCapture.isEmpty() && NOT_BUILT.containsKey(cell.fault())) {
			missing.add("fault " + cell.fault().option() + " needs " + NOT_BUILT.get(cell.fault()));
		}
		if (missing.isEmpty()) {
			missing.add("no scenario runs this combination");
		}
		return "cell " + cell + " cannot run yet: " + String.join("; ", missing) + ". Runs today: " + today(runnable);
	}

	private static void missing(List<String> missing, String setting, Choice value, Set<Cell> runnable,
			Function<Cell, Choice> of) {
		if (runnable.stream().map(of).noneMatch((choice) -> choice == value)) {
			String with = NOT_BUILT.containsKey(value) ? "" : elsewhere(value, of);
			missing.add(setting + " " + value.option() + " needs "
					+ (with.isEmpty() ? NOT_BUILT.getOrDefault(value, "what no scenario has yet")
							: "a scenario with this capture (it runs with capture " + with + ")"));
		}
	}

	/** @return the captures a value runs with anywhere, e.g. {@code log}, or empty when none */
	private static String elsewhere(Choice value, Function<Cell, Choice> of) {
		return all(SuiteSize.QUICK).stream()
			.filter((cell) -> of.apply(cell) == value)
			.map((cell) -> cell.pipeline().capture().option())
			.distinct()
			.collect(Collectors.joining(", "));
	}

	private static String today(Set<Cell> runnable) {
		Map<Capture, List<Cell>> byCapture = runnable.stream()
			.collect(Collectors.groupingBy((c) -> c.pipeline().capture(), () -> new EnumMap<>(Capture.class),
					Collectors.toList()));
		List<String> parts = new ArrayList<>();
		byCapture.forEach((capture, cells) -> parts.add("capture " + capture.option() + " (write-mode "
				+ options(cells, (c) -> c.pipeline().writeMode()) + ", key " + options(cells, (c) -> c.pipeline().key())
				+ ", checkpoint " + options(cells, (c) -> c.pipeline().checkpoint()) + ", sink "
				+ options(cells, (c) -> c.pipeline().sink()) + ", slot-guard "
				+ options(cells, (c) -> c.pipeline().slotGuard()) + ") under fault " + options(cells, Cell::fault)));
		return "workload " + options(List.copyOf(runnable), Cell::workload) + "; " + String.join("; ", parts);
	}

	private static String options(List<Cell> cells, Function<Cell, Choice> of) {
		return cells.stream()
			.map(of)
			.distinct()
			.sorted((a, b) -> Integer.compare(((Enum<?>) a).ordinal(), ((Enum<?>) b).ordinal()))
			.map(Choice::option)
			.collect(Collectors.joining(", "));
	}

	/** @return every value of every setting of a cell, for the test that keeps {@link #NOT_BUILT} true */
	static Set<Choice> everyChoice() {
		Set<Choice> all = new LinkedHashSet<>();
		for (Class<? extends Choice> type : List.of(Workload.class, Capture.class, WriteMode.class, Key.class,
				Checkpoint.class, Sink.class, SlotGuard.class, Fault.class)) {
			all.addAll(Arrays.asList(type.getEnumConstants()));
		}
		return all;
	}

}
