package dev.outbox.relay.source.pgoutput;

import java.util.Objects;

/**
 * Decides which row changes the {@link PgOutputDecoder} materializes. A rejected change is
 * still read to its end, so the stream stays in step, but no string is built for it and it
 * is returned as a {@link SkippedMessage} with {@link SkippedMessage.SkipReason#FILTERED}.
 *
 * <p>Called on the reading thread, once per change; keep it cheap and free of side effects.
 */
@FunctionalInterface
public interface ChangeFilter {

	/**
	 * Returns whether to materialize a change.
	 * @param relation the changed relation's current layout
	 * @param kind the kind of change
	 * @return {@code true} to decode the change's tuples
	 */
	boolean accepts(RelationMessage relation, ChangeKind kind);

	/**
	 * Accepts only inserts into one table: what the relay needs from the outbox.
	 * @param schema the schema, exactly as stored (for example {@code public})
	 * @param table the table, exactly as stored (for example {@code outbox_event})
	 * @return the filter
	 */
	static ChangeFilter insertsInto(String schema, String table) {
		Objects.requireNonNull(schema, "schema");
		Objects.requireNonNull(table, "table");
		return (relation, kind) -> kind == ChangeKind.INSERT && relation.table().equals(table)
				&& relation.schema().equals(schema);
	}

	/**
	 * Accepts every change.
	 * @return the filter
	 */
	static ChangeFilter all() {
		return (relation, kind) -> true;
	}

	/**
	 * The kinds of row change.
	 */
	enum ChangeKind {

		/** An Insert message. */
		INSERT,

		/** An Update message. */
		UPDATE,

		/** A Delete message. */
		DELETE

	}

}
