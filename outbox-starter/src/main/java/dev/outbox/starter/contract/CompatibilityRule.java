package dev.outbox.starter.contract;

/**
 * The rule a schema change breaks, named for the change from the earlier version to the new
 * one. Which rules a change can break depends on the direction checked (see
 * {@link CompatibilityMode}): the same edit, say a required property removed, breaks
 * {@code FORWARD} and not {@code BACKWARD}.
 */
public enum CompatibilityRule {

	/**
	 * A property the earlier version required is gone from the new one: consumers on the
	 * earlier version still require it (breaks the forward direction).
	 */
	REQUIRED_PROPERTY_REMOVED,

	/**
	 * The new version requires a property earlier events do not carry (breaks the backward
	 * direction).
	 */
	REQUIRED_PROPERTY_ADDED,

	/**
	 * A required property is gone and one property with the identical schema appeared in the
	 * same object: most likely a rename. Reported where a removal or addition would be; the
	 * "renamed" reading is a hint, the break is the same.
	 */
	PROPERTY_RENAMED,

	/** A required property became optional: new events may omit it (forward). */
	PROPERTY_MADE_OPTIONAL,

	/** An optional property became required: earlier events may lack it (backward). */
	PROPERTY_MADE_REQUIRED,

	/** A value's type changed to one the other side cannot read, e.g. string to integer. */
	TYPE_CHANGED,

	/**
	 * The new version accepts fewer values than the earlier one, e.g. number to integer, or an
	 * enum where any string was allowed (backward).
	 */
	TYPE_NARROWED,

	/**
	 * The new version writes values the earlier one cannot read, e.g. integer to number, or an
	 * enum dropped (forward).
	 */
	TYPE_WIDENED,

	/** A value may now be null where the earlier version does not allow it (forward). */
	MADE_NULLABLE,

	/** A value the earlier version allowed to be null no longer is (backward). */
	MADE_NON_NULL,

	/** An enum gained a value consumers on the earlier version do not know (forward). */
	ENUM_VALUE_ADDED,

	/** An enum lost a value earlier events may carry (backward). */
	ENUM_VALUE_REMOVED,

	/**
	 * A string's {@code format} changed or was dropped where the reading side asserts one:
	 * formats are treated as assertions, since consumers parse them (a {@code date-time} into
	 * an {@code Instant}).
	 */
	FORMAT_CHANGED,

	/**
	 * The reading side closes its object ({@code additionalProperties: false}) and the writing
	 * side writes a property it does not declare.
	 */
	CLOSED_CONTENT_MODEL

}
