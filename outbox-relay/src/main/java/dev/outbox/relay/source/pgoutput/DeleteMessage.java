package dev.outbox.relay.source.pgoutput;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Delete ({@code 'D'}): a removed row, for a relation the {@link ChangeFilter} accepted.
 *
 * <p>Exactly one of {@link #oldKey()} and {@link #oldTuple()} is present: the whole old row
 * when the replica identity is {@code FULL}, the key otherwise. Non-key columns of a key
 * tuple are {@link TupleData.Kind#NULL}.
 *
 * @param relation the relation layout in force when the change was decoded
 * @param oldKey the old replica identity key ({@code 'K'}), or {@code null}
 * @param oldTuple the old row ({@code 'O'}), or {@code null}
 */
public record DeleteMessage(RelationMessage relation, @Nullable TupleData oldKey, @Nullable TupleData oldTuple)
		implements PgOutputMessage {

	/** The protocol type byte. */
	public static final char TYPE = 'D';

	public DeleteMessage {
		Objects.requireNonNull(relation, "relation");
		if ((oldKey == null) == (oldTuple == null)) {
			throw new IllegalArgumentException("A delete carries exactly one of an old key and an old tuple");
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
