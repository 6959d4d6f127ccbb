package dev.outbox.relay.source.pgoutput;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Update ({@code 'U'}): a changed row, for a relation the {@link ChangeFilter} accepted.
 *
 * <p>At most one of {@link #oldKey()} and {@link #oldTuple()} is present: the old key when the
 * update changed a replica identity column, the whole old row when the replica identity is
 * {@code FULL}, neither otherwise. The new tuple may hold
 * {@link TupleData.Kind#UNCHANGED_TOAST} values.
 *
 * @param relation the relation layout in force when the change was decoded
 * @param oldKey the old replica identity key ({@code 'K'}), or {@code null}
 * @param oldTuple the old row ({@code 'O'}), or {@code null}
 * @param newTuple the new row ({@code 'N'})
 */
public record UpdateMessage(RelationMessage relation, @Nullable TupleData oldKey, @Nullable TupleData oldTuple,
		TupleData newTuple) implements PgOutputMessage {

	/** The protocol type byte. */
	public static final char TYPE = 'U';

	public UpdateMessage {
		Objects.requireNonNull(relation, "relation");
		Objects.requireNonNull(newTuple, "newTuple");
		if (oldKey != null && oldTuple != null) {
			throw new IllegalArgumentException("An update carries an old key or an old tuple, never both");
		}
	}

	@Override
	public char type() {
		return TYPE;
	}

	/**
	 * Returns the OID of the changed relation.
	 * @return the relation OID
	 */
	public int relationOid() {
		return this.relation.oid();
	}

}
