package dev.outbox.starter.contract;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;

import dev.outbox.starter.contract.IncompatibleEventSchemaException.Incompatibility;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link IncompatibleEventSchemaFailureAnalyzer}: the startup report names each event type, the
 * versions, each offending property with its rule, and the settings and choices that resolve it.
 */
class IncompatibleEventSchemaFailureAnalyzerUnitTests {

	private final IncompatibleEventSchemaFailureAnalyzer analyzer = new IncompatibleEventSchemaFailureAnalyzer();

	@Test
	void reportNamesTypeVersionsPropertiesRulesAndTheWaysOut() {
		IncompatibleEventSchemaException exception = new IncompatibleEventSchemaException(List.of(
				new Incompatibility("OrderPlaced", CompatibilityMode.FORWARD_TRANSITIVE, List.of(1, 2),
						List.of(new CompatibilityViolation("customerId", 1, CompatibilityRule.REQUIRED_PROPERTY_REMOVED,
								"removed"),
								new CompatibilityViolation("lines[].qty", 2, CompatibilityRule.TYPE_WIDENED, "widened"))),
				new Incompatibility("OrderShipped", CompatibilityMode.FORWARD, List.of(1),
						List.of(new CompatibilityViolation("", 1, CompatibilityRule.TYPE_CHANGED, "changed")))));

		FailureAnalysis analysis = this.analyzer.analyze(new BeanCreationException("outbox", "wrapped", exception));

		assertThat(analysis).isNotNull();
		assertThat(analysis.getDescription()).startsWith("The schema of 2 event types break their compatibility mode; "
				+ "nothing was registered.")
			.contains("Event type 'OrderPlaced' (mode FORWARD_TRANSITIVE): the new schema, which would be version 3, "
					+ "against registered versions 1, 2:\n"
					+ "    - property 'customerId' against version 1: REQUIRED_PROPERTY_REMOVED: removed\n"
					+ "    - property 'lines[].qty' against version 2: TYPE_WIDENED: widened\n")
			.contains("Event type 'OrderShipped' (mode FORWARD): the new schema, which would be version 2, against "
					+ "registered version 1:\n    - property '(the event itself)' against version 1: TYPE_CHANGED");
		assertThat(analysis.getAction()).contains("outbox.contract.compatibility ")
			.contains("outbox.contract.compatibility-overrides[OrderPlaced]=NONE")
			.contains("new event type");
		assertThat(analysis.getCause()).isSameAs(exception);
	}

}
