package dev.outbox.relay.source.pgoutput;

import java.util.Objects;

/**
 * Insert ({@code 'I'}): a new row, for a relation the {@link ChangeFilter} accepted.
 *
 * @param relation the relation layout in force when the change was decoded; {@link #newTuple()}
 * matches its columns
 * @param newTuple the inserted row
 */
public record InsertMessage(RelationMessage relation, TupleData newTuple) implements PgOutputMessage {

	/** The protocol type byte. */
	public static final char TYPE = 'I';

	public InsertMessage {
		Objects.requireNonNull(relation, "relation");
		Objects.requireNonNull(newTuple, "newTuple");
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
