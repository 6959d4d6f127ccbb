package dev.outbox.starter.contract;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;

/**
 * Checks a new JSON Schema of an event type against the versions registered before it, under
 * a {@link CompatibilityMode}, and lists every violation (an empty list: compatible).
 * <p>
 * Rules, in short (the direction reasoning is on {@link CompatibilityMode}; the per-keyword
 * reading on the package-private {@code ReadCheck}):
 * <ul>
 * <li>A schema identical to a registered version is always compatible: it is a rollback to an
 * earlier release, and the registry reuses that version.</li>
 * <li>Otherwise the new schema is compared with the last registered version, or with each of
 * them under a {@code _TRANSITIVE} mode, in the direction(s) the mode names; the violations of
 * all comparisons are returned, oldest version first.</li>
 * <li>Every schema compared must keep to the supported subset (see {@code SchemaDocument}):
 * an unsupported keyword throws {@link IllegalArgumentException} naming it, the schema and the
 * JSON pointer, even under {@link CompatibilityMode#NONE} for the new schema.</li>
 * </ul>
 * Paths in violations are property paths ({@code lines[].sku}), see
 * {@link CompatibilityViolation#path()}. Stateless and thread-safe.
 */
public final class SchemaCompatibility {

	private SchemaCompatibility() {
	}

	/**
	 * Check a new schema against the registered ones.
	 * @param newSchema the schema the application would register now
	 * @param registered the registered versions, oldest first (may be empty: a first version
	 * is always compatible)
	 * @param mode the compatibility mode of the event type
	 * @return the violations, empty when the new schema may be registered
	 * @throws IllegalArgumentException if a schema uses a keyword outside the supported subset,
	 * or the versions are not in ascending order
	 */
	public static List<CompatibilityViolation> check(JsonNode newSchema, List<RegisteredSchema> registered,
			CompatibilityMode mode) {
		SchemaDocument newer = new SchemaDocument(newSchema, "(new)");
		requireAscending(registered);
		if (mode == CompatibilityMode.NONE || registered.isEmpty()
				|| registered.stream().anyMatch((earlier) -> earlier.schema().equals(newSchema))) {
			return List.of();
		}
		List<RegisteredSchema> compared = mode.isTransitive() ? registered
				: List.of(registered.get(registered.size() - 1));
		List<CompatibilityViolation> violations = new ArrayList<>();
		for (RegisteredSchema earlier : compared) {
			SchemaDocument document = new SchemaDocument(earlier.schema(), "version " + earlier.version());
			if (mode.checksBackward()) {
				violations.addAll(ReadCheck.backward(document, earlier.version(), newer));
			}
			if (mode.checksForward()) {
				violations.addAll(ReadCheck.forward(document, earlier.version(), newer));
			}
		}
		return List.copyOf(violations);
	}

	private static void requireAscending(List<RegisteredSchema> registered) {
		for (int i = 1; i < registered.size(); i++) {
			if (registered.get(i).version() <= registered.get(i - 1).version()) {
				throw new IllegalArgumentException("Registered schemas must be given oldest first, but version "
						+ registered.get(i).version() + " follows version " + registered.get(i - 1).version());
			}
		}
	}

}
