package dev.outbox.starter.contract;

/**
 * Which earlier schema versions a new version of an event type must stay compatible with,
 * and in which direction, with the meanings Confluent's Schema Registry gives these names.
 * <p>
 * Every check is one question asked of a pair of schemas: <em>can a consumer built on the
 * reader schema read every event a producer writes under the writer schema?</em> The modes
 * differ only in which version plays which role:
 * <ul>
 * <li><b>BACKWARD</b>: consumers using the new schema can read events written under the
 * last registered one (writer = last, reader = new). Consumers upgrade first. Adding a
 * required property breaks it (old events lack it); removing one does not.</li>
 * <li><b>FORWARD</b> (the default of {@code outbox.contract.compatibility}): consumers still
 * built on the last registered schema can read events written under the new one (writer =
 * new, reader = last). Producers upgrade first, as an outbox producer does: it deploys, and
 * consumers follow when they can. Removing or renaming a required property breaks it (the old
 * consumer still requires it); adding a property, even a required one, does not (an old
 * consumer ignores unknown properties under the open content model).</li>
 * <li><b>FULL</b>: both of the above; in practice only optional properties may come and
 * go.</li>
 * <li><b>…_TRANSITIVE</b>: the same direction(s), checked against <em>every</em> registered
 * version, not only the last, for consumers (or stored events) that may be several versions
 * behind.</li>
 * <li><b>NONE</b>: no check; every new schema is accepted.</li>
 * </ul>
 */
public enum CompatibilityMode {

	/** No compatibility check. */
	NONE(false, false, false),

	/** New consumers can read events written under the last version. */
	BACKWARD(true, false, false),

	/** New consumers can read events written under every earlier version. */
	BACKWARD_TRANSITIVE(true, false, true),

	/** Consumers on the last version can read events written under the new one. */
	FORWARD(false, true, false),

	/** Consumers on every earlier version can read events written under the new one. */
	FORWARD_TRANSITIVE(false, true, true),

	/** Both {@link #BACKWARD} and {@link #FORWARD} against the last version. */
	FULL(true, true, false),

	/** Both {@link #BACKWARD} and {@link #FORWARD} against every earlier version. */
	FULL_TRANSITIVE(true, true, true);

	private final boolean backward;

	private final boolean forward;

	private final boolean transitive;

	CompatibilityMode(boolean backward, boolean forward, boolean transitive) {
		this.backward = backward;
		this.forward = forward;
		this.transitive = transitive;
	}

	/**
	 * Whether the new schema, as reader, must read events written under earlier versions.
	 * @return whether the backward direction is checked
	 */
	public boolean checksBackward() {
		return this.backward;
	}

	/**
	 * Whether earlier versions, as readers, must read events written under the new schema.
	 * @return whether the forward direction is checked
	 */
	public boolean checksForward() {
		return this.forward;
	}

	/**
	 * Whether every earlier version is checked, rather than only the last.
	 * @return whether the mode is transitive
	 */
	public boolean isTransitive() {
		return this.transitive;
	}

}
