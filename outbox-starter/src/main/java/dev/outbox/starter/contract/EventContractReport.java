package dev.outbox.starter.contract;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link EventContractVerifier} found, one {@link Outcome} per event type; its
 * {@link #toString()} is the failure message of a CI build.
 *
 * @param folder the folder of the committed schemas
 * @param outcomes the outcome of each event type, ordered by event type
 */
public record EventContractReport(Path folder, List<Outcome> outcomes) {

	/**
	 * Create a report.
	 * @param folder the folder of the committed schemas
	 * @param outcomes the outcome of each event type, ordered by event type
	 */
	public EventContractReport {
		outcomes = List.copyOf(outcomes);
	}

	/**
	 * Whether every event type matches a committed version or had its new version written.
	 * @return whether the contract holds
	 */
	public boolean passed() {
		return this.outcomes.stream().allMatch((outcome) -> outcome.status().passed());
	}

	@Override
	public String toString() {
		List<Outcome> failed = this.outcomes.stream().filter((outcome) -> !outcome.status().passed()).toList();
		StringBuilder text = new StringBuilder();
		if (failed.isEmpty()) {
			text.append("Event contract holds for ").append(this.outcomes.size())
				.append(" event type(s) against the schemas committed in ").append(this.folder).append(':');
			this.outcomes.forEach((outcome) -> text.append(System.lineSeparator()).append("- ").append(outcome));
			return text.toString();
		}
		text.append("Event contract check failed for ").append(failed.size()).append(" of ").append(this.outcomes.size())
			.append(" event type(s) against the schemas committed in ").append(this.folder).append(':');
		failed.forEach((outcome) -> text.append(System.lineSeparator()).append("- ").append(outcome));
		if (failed.stream().anyMatch((outcome) -> outcome.status() == Status.NOT_COMMITTED)) {
			text.append(System.lineSeparator()).append("To write the missing versions, run the check again with -D")
				.append(EventContractVerifier.WRITE_SCHEMAS_PROPERTY)
				.append("=true (or EventContractVerifier.writeNewVersions()), then commit the files.");
		}
		return text.toString();
	}

	/** How the current schema of one event type relates to its committed versions. */
	public enum Status {

		/** Identical to a committed version (the last one, or an earlier one: a rollback). */
		MATCHES(true),

		/** Compatible, or the first version, and written as the next version: commit it. */
		WRITTEN(true),

		/** Compatible, or the first version, but not committed yet: write and commit it. */
		NOT_COMMITTED(false),

		/** Breaks the compatibility mode against committed versions. */
		INCOMPATIBLE(false);

		private final boolean passed;

		Status(boolean passed) {
			this.passed = passed;
		}

		/**
		 * Whether an event type with this status lets the check pass.
		 * @return whether it passes
		 */
		public boolean passed() {
			return this.passed;
		}

	}

	/**
	 * The outcome for one event type.
	 *
	 * @param eventType the event type
	 * @param status how its current schema relates to the committed versions
	 * @param version the committed version it matches ({@link Status#MATCHES}), or the next
	 * version it would be or was written as
	 * @param mode the compatibility mode it was checked under
	 * @param file the file of that version
	 * @param violations the broken rules ({@link Status#INCOMPATIBLE}), empty otherwise
	 */
	public record Outcome(String eventType, Status status, int version, CompatibilityMode mode, Path file,
			List<CompatibilityViolation> violations) {

		/**
		 * Create an outcome.
		 * @param eventType the event type
		 * @param status how its current schema relates to the committed versions
		 * @param version the matched or next version
		 * @param mode the compatibility mode checked
		 * @param file the file of that version
		 * @param violations the broken rules
		 */
		public Outcome {
			violations = List.copyOf(violations);
		}

		@Override
		public String toString() {
			return switch (this.status) {
				case MATCHES -> this.eventType + ": identical to committed version " + this.version + " (" + this.file
						+ ")";
				case WRITTEN -> this.eventType + ": " + change() + "; written as version " + this.version + " to "
						+ this.file + ": commit it";
				case NOT_COMMITTED -> this.eventType + ": " + change() + "; commit it as version " + this.version
						+ " (" + this.file + ")";
				case INCOMPATIBLE -> incompatible();
			};
		}

		private String change() {
			return (this.version == 1) ? "no committed schema yet"
					: "schema changed compatibly (" + this.mode + ") since version " + (this.version - 1);
		}

		private String incompatible() {
			StringBuilder text = new StringBuilder(this.eventType).append(": the current schema breaks ")
				.append(this.mode).append(" compatibility with committed version(s) ")
				.append(this.violations.stream().map(CompatibilityViolation::earlierVersion).distinct().sorted()
					.map(String::valueOf).reduce((a, b) -> a + ", " + b).orElse(""))
				.append(" (in ").append(this.file.getParent()).append("); it would be version ").append(this.version)
				.append(':');
			for (CompatibilityViolation violation : this.violations) {
				text.append(System.lineSeparator()).append("    ").append(violation);
			}
			text.append(System.lineSeparator()).append("  Undo the change, make it ").append(this.mode)
				.append("-compatible, or publish it as a new event type.");
			return text.toString();
		}

	}

}
