package dev.outbox.starter.contract;

/**
 * One way in which a new schema breaks its {@link CompatibilityMode} against one registered
 * version.
 *
 * @param path where in the event the break is, as a property path: {@code lines[].sku} is the
 * {@code sku} property of each element of the {@code lines} array, {@code attributes{}} each
 * value of a map ({@code additionalProperties}) and the empty string the event itself
 * @param earlierVersion the registered version the new schema was compared with
 * @param rule the rule broken
 * @param message what changed and who cannot read what, for the startup failure report
 */
public record CompatibilityViolation(String path, int earlierVersion, CompatibilityRule rule, String message) {

	@Override
	public String toString() {
		return "version " + this.earlierVersion + " -> new, " + (this.path.isEmpty() ? "(event)" : this.path) + ": "
				+ this.rule + ": " + this.message;
	}

}
