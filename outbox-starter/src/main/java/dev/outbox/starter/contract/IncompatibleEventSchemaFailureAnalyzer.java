package dev.outbox.starter.contract;

import java.util.stream.Collectors;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import dev.outbox.starter.contract.IncompatibleEventSchemaException.Incompatibility;

/**
 * Spring Boot's startup failure report for an {@link IncompatibleEventSchemaException}: per event
 * type, its mode, the registered versions and the version refused, then each offending property
 * with the rule it breaks; and as action, the choices a team has. Registered in
 * {@code META-INF/spring.factories}.
 */
class IncompatibleEventSchemaFailureAnalyzer extends AbstractFailureAnalyzer<IncompatibleEventSchemaException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, IncompatibleEventSchemaException cause) {
		StringBuilder description = new StringBuilder("The schema of ")
			.append((cause.incompatibilities().size() == 1) ? "an event type breaks its"
					: cause.incompatibilities().size() + " event types break their")
			.append(" compatibility mode; nothing was registered.\n");
		for (Incompatibility incompatibility : cause.incompatibilities()) {
			description.append("\nEvent type '")
				.append(incompatibility.eventType())
				.append("' (mode ")
				.append(incompatibility.mode())
				.append("): the new schema, which would be version ")
				.append(incompatibility.newVersion())
				.append(", against registered version")
				.append((incompatibility.registeredVersions().size() == 1) ? " " : "s ")
				.append(incompatibility.registeredVersions()
					.stream()
					.map(String::valueOf)
					.collect(Collectors.joining(", ")))
				.append(":\n");
			incompatibility.violations()
				.forEach((violation) -> description.append("    - property '")
					.append(violation.path().isEmpty() ? "(the event itself)" : violation.path())
					.append("' against version ")
					.append(violation.earlierVersion())
					.append(": ")
					.append(violation.rule())
					.append(": ")
					.append(violation.message())
					.append('\n'));
		}
		String action = "Make the change compatible (under FORWARD, the default: keep every property the producer "
				+ "always writes, with its name and type, and add new properties as nullable or optional), or "
				+ "publish the changed event under a new event type, which starts at version 1, or, when the "
				+ "consumers are ready for it, change the mode with outbox.contract.compatibility or for this type "
				+ "only with outbox.contract.compatibility-overrides[" + cause.incompatibilities().get(0).eventType()
				+ "]=NONE (or another mode: NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, "
				+ "FULL_TRANSITIVE).";
		return new FailureAnalysis(description.toString(), action, cause);
	}

}
