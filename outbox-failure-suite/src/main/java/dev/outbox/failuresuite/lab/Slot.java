package dev.outbox.failuresuite.lab;

/** The six slots of a {@link Pipeline}, each written on the command line as its {@link #option()}. */
public enum Slot implements Choice {

	/** {@link Capture}. */
	CAPTURE(Capture.class),

	/** {@link WriteMode}. */
	WRITE_MODE(WriteMode.class),

	/** {@link Key}. */
	KEY(Key.class),

	/** {@link Checkpoint}. */
	CHECKPOINT(Checkpoint.class),

	/** {@link Sink}. */
	SINK(Sink.class),

	/** {@link SlotGuard}. */
	SLOT_GUARD(SlotGuard.class);

	private final Class<? extends Choice> values;

	Slot(Class<? extends Choice> values) {
		this.values = values;
	}

	/**
	 * Reads a value of this slot.
	 * @param <E> the slot's values
	 * @param value as written
	 * @param type the slot's values, as this slot declares them
	 * @return the value
	 */
	<E extends Enum<E> & Choice> E parse(String value, Class<E> type) {
		if (type != this.values) {
			throw new IllegalStateException("slot " + option() + " holds " + this.values.getSimpleName() + ", not "
					+ type.getSimpleName());
		}
		return Choice.parse("slot " + option(), value, type);
	}

	/**
	 * @param option as written
	 * @return the slot
	 * @throws IllegalArgumentException naming the slots when none is written so
	 */
	static Slot of(String option) {
		return Choice.parse("slot", option, Slot.class);
	}

}
