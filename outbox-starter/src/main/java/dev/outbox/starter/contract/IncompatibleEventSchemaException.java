package dev.outbox.starter.contract;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown at startup when the current schema of one or more event types breaks the compatibility
 * mode of its type against the versions already registered. Nothing was registered: the
 * registration of all types is one transaction, rolled back. Spring Boot's failure report for it
 * names, per event type, the versions compared, each offending property and the rule it breaks,
 * and what to do.
 */
public class IncompatibleEventSchemaException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final transient List<Incompatibility> incompatibilities;

	/**
	 * Create an exception.
	 * @param incompatibilities the event types whose schema breaks its mode, at least one
	 */
	public IncompatibleEventSchemaException(List<Incompatibility> incompatibilities) {
		super(message(incompatibilities));
		this.incompatibilities = List.copyOf(incompatibilities);
	}

	/**
	 * The event types whose current schema breaks its mode, in event-type order.
	 * @return the incompatibilities, not empty
	 */
	public List<Incompatibility> incompatibilities() {
		return this.incompatibilities;
	}

	private static String message(List<Incompatibility> incompatibilities) {
		return "Incompatible event schema changes, nothing registered: " + incompatibilities.stream()
			.map(Incompatibility::toString)
			.collect(Collectors.joining("; "));
	}

	/**
	 * One event type whose current schema breaks its compatibility mode.
	 *
	 * @param eventType the event type
	 * @param mode the compatibility mode of that type (the default or its override)
	 * @param registeredVersions the versions registered for it, oldest first
	 * @param violations every violation found, per version compared, oldest first
	 */
	public record Incompatibility(String eventType, CompatibilityMode mode, List<Integer> registeredVersions,
			List<CompatibilityViolation> violations) {

		/**
		 * Copies the lists.
		 */
		public Incompatibility {
			registeredVersions = List.copyOf(registeredVersions);
			violations = List.copyOf(violations);
		}

		/**
		 * The version the new schema would have been registered as.
		 * @return the highest registered version plus one
		 */
		public int newVersion() {
			return this.registeredVersions.get(this.registeredVersions.size() - 1) + 1;
		}

		@Override
		public String toString() {
			return this.eventType + " (" + this.mode + ", new version " + newVersion() + "): " + this.violations;
		}

	}

}
