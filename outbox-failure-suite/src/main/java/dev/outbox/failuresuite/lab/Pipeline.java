package dev.outbox.failuresuite.lab;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A CDC pipeline composed from six slots. {@link #OURS} is the default of every slot: the starter
 * and the relay as shipped.
 * <p>
 * Combinations that make no sense are refused when built, naming the slots and the fix: a write
 * mode (the starter's) for a capture that does not use the starter, no write mode for one that
 * does, the lab's {@code confirm-on-send} checkpoint or the slot guard for a capture with no relay
 * and no slot.
 *
 * @param capture how an event leaves the database
 * @param writeMode the starter's write mode; {@link WriteMode#NONE} unless the capture is {@link Capture#LOG}
 * @param key the record key
 * @param checkpoint when progress is recorded
 * @param sink how the consumer applies deliveries
 * @param slotGuard the retained-WAL guard; {@link SlotGuard#OFF} unless the capture is {@link Capture#LOG}
 */
public record Pipeline(Capture capture, WriteMode writeMode, Key key, Checkpoint checkpoint, Sink sink,
		SlotGuard slotGuard) {

	/** Ours: the starter (table mode) and the relay as shipped, keyed by aggregate, the inbox, the guard on. */
	public static final Pipeline OURS = new Pipeline(Capture.LOG, WriteMode.TABLE, Key.AGGREGATE_ID,
			Checkpoint.AS_SHIPPED, Sink.IDEMPOTENT, SlotGuard.ON);

	/**
	 * Checks the combination.
	 * @throws IllegalArgumentException naming each slot that does not fit the capture, and the fix
	 */
	public Pipeline {
		Objects.requireNonNull(capture, "capture");
		Objects.requireNonNull(writeMode, "writeMode");
		Objects.requireNonNull(key, "key");
		Objects.requireNonNull(checkpoint, "checkpoint");
		Objects.requireNonNull(sink, "sink");
		Objects.requireNonNull(slotGuard, "slotGuard");
		List<String> errors = new ArrayList<>();
		boolean log = capture == Capture.LOG;
		String with = " with capture " + capture.option() + ": ";
		if (log && writeMode == WriteMode.NONE) {
			errors.add("write-mode none" + with + "it writes events through the starter, which needs a write mode; "
					+ "choose one of table, message, retain (default table)");
		}
		if (!log && writeMode != WriteMode.NONE) {
			errors.add("write-mode " + writeMode.option() + with + "write modes are the starter's, and only capture log "
					+ "uses the starter; omit write-mode (or set none), or choose capture log");
		}
		if (!log && checkpoint == Checkpoint.CONFIRM_ON_SEND) {
			errors.add("checkpoint confirm-on-send" + with + "it is a variant of the relay's checkpoint, and only "
					+ "capture log has a relay; use checkpoint as-shipped, or choose capture log");
		}
		if (!log && slotGuard == SlotGuard.ON) {
			errors.add("slot-guard on" + with + "the guard watches a replication slot, and only capture log has one; "
					+ "set slot-guard off (or omit it), or choose capture log");
		}
		if (!errors.isEmpty()) {
			throw new IllegalArgumentException("pipeline " + describe(capture, writeMode, key, checkpoint, sink, slotGuard)
					+ " makes no sense: " + String.join("; ", errors));
		}
	}

	/**
	 * Builds a pipeline from the slots given, as the command line names them ({@code capture},
	 * {@code write-mode}, {@code key}, {@code checkpoint}, {@code sink}, {@code slot-guard}); an
	 * omitted slot takes our default, except that a capture other than {@code log} gets no write mode
	 * and the slot guard off, since it has neither the starter nor a slot.
	 * @param given slot to value, both as written
	 * @return the pipeline
	 * @throws IllegalArgumentException for an unknown slot or value, or a combination that makes no sense
	 */
	public static Pipeline of(Map<String, String> given) {
		Map<Slot, String> slots = new EnumMap<>(Slot.class);
		given.forEach((slot, value) -> slots.put(Slot.of(slot), value));
		Capture capture = choice(slots, Slot.CAPTURE, Capture.class, OURS.capture);
		boolean log = capture == Capture.LOG;
		return new Pipeline(capture, choice(slots, Slot.WRITE_MODE, WriteMode.class, log ? OURS.writeMode : WriteMode.NONE),
				choice(slots, Slot.KEY, Key.class, OURS.key), choice(slots, Slot.CHECKPOINT, Checkpoint.class, OURS.checkpoint),
				choice(slots, Slot.SINK, Sink.class, OURS.sink),
				choice(slots, Slot.SLOT_GUARD, SlotGuard.class, log ? OURS.slotGuard : SlotGuard.OFF));
	}

	private static <E extends Enum<E> & Choice> E choice(Map<Slot, String> slots, Slot slot, Class<E> type,
			E otherwise) {
		String value = slots.get(slot);
		return (value != null) ? slot.parse(value, type) : otherwise;
	}

	/** @return the components this pipeline runs, which its capture decides */
	public Set<Component> components() {
		return this.capture.components();
	}

	/**
	 * @param slot a slot
	 * @return this pipeline's value in it
	 */
	public Choice in(Slot slot) {
		return switch (slot) {
			case CAPTURE -> this.capture;
			case WRITE_MODE -> this.writeMode;
			case KEY -> this.key;
			case CHECKPOINT -> this.checkpoint;
			case SINK -> this.sink;
			case SLOT_GUARD -> this.slotGuard;
		};
	}

	/** @return whether every slot holds our default */
	public boolean ours() {
		return equals(OURS);
	}

	@Override
	public String toString() {
		return describe(this.capture, this.writeMode, this.key, this.checkpoint, this.sink, this.slotGuard);
	}

	private static String describe(Choice... slots) {
		List<String> parts = new ArrayList<>();
		for (int i = 0; i < slots.length; i++) {
			parts.add(Slot.values()[i].option() + "=" + slots[i].option());
		}
		return "[" + String.join(" ", parts) + "]";
	}

}
