package dev.outbox.failuresuite.lab;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One lab run: a workload through a pipeline under a fault. A fault at a component the pipeline
 * lacks (the relay of a poller, the send after commit of our pipeline) is refused when built,
 * naming the fault, the component, the capture and what would fit.
 *
 * @param workload what is written
 * @param pipeline what carries it
 * @param fault what is injected
 */
public record Cell(Workload workload, Pipeline pipeline, Fault fault) {

	/**
	 * Checks that the pipeline has what the fault is fired at.
	 * @throws IllegalArgumentException naming the missing components, the captures that have them
	 * and the faults that fit this pipeline
	 */
	public Cell {
		Objects.requireNonNull(workload, "workload");
		Objects.requireNonNull(pipeline, "pipeline");
		Objects.requireNonNull(fault, "fault");
		Set<Component> lacking = fault.needs();
		lacking.removeAll(pipeline.components());
		if (!lacking.isEmpty()) {
			throw new IllegalArgumentException("fault " + fault.option() + " is fired at " + labels(lacking)
					+ ", which capture " + pipeline.capture().option() + " lacks (it runs " + labels(pipeline.components())
					+ "); choose a capture that has " + (lacking.size() == 1 ? "it" : "them") + " ("
					+ Arrays.stream(Capture.values())
						.filter((capture) -> capture.components().containsAll(fault.needs()))
						.map(Capture::option)
						.collect(Collectors.joining(", "))
					+ "), or a fault this pipeline has the components for: " + Arrays.stream(Fault.values())
						.filter((other) -> pipeline.components().containsAll(other.needs()))
						.map(Fault::option)
						.collect(Collectors.joining(", ")));
		}
	}

	/**
	 * Builds a cell from the command line's words.
	 * @param workload the workload as written
	 * @param slots the pipeline's slots as written; omitted ones take their defaults ({@link Pipeline#of})
	 * @param fault the fault as written
	 * @return the cell
	 * @throws IllegalArgumentException for an unknown value, a pipeline that makes no sense or a fault it
	 * cannot take
	 */
	public static Cell of(String workload, Map<String, String> slots, String fault) {
		return new Cell(Choice.parse("workload", workload, Workload.class), Pipeline.of(slots),
				Choice.parse("fault", fault, Fault.class));
	}

	private static String labels(Set<Component> components) {
		return components.stream().map(Component::label).collect(Collectors.joining(", "));
	}

	@Override
	public String toString() {
		return this.workload.option() + " × " + this.pipeline + " × " + this.fault.option();
	}

}
