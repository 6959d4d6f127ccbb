package dev.outbox.relay.source.pgoutput;

import java.util.HashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The relations described so far in one replication session, by OID. A later
 * {@link RelationMessage} for the same OID replaces the earlier one, so a change is always
 * decoded against the layout in force when it was written.
 *
 * <p>Not thread-safe: owned by the thread that reads the stream. Start a new cache (or
 * {@link #clear()} it) for every new replication connection.
 */
public final class RelationCache {

	private final Map<Integer, RelationMessage> relations = new HashMap<>();

	private @Nullable RelationMessage last;

	/**
	 * Records a relation, replacing any earlier layout with the same OID.
	 * @param relation the relation
	 */
	public void put(RelationMessage relation) {
		this.relations.put(relation.oid(), relation);
		this.last = relation;
	}

	/**
	 * Returns the current layout of a relation.
	 * @param oid the relation OID
	 * @return the relation, or {@code null} when no Relation message described it
	 */
	public @Nullable RelationMessage get(int oid) {
		RelationMessage last = this.last;
		if (last != null && last.oid() == oid) {
			return last; // the common case: every change is to the outbox table
		}
		RelationMessage relation = this.relations.get(oid);
		if (relation != null) {
			this.last = relation;
		}
		return relation;
	}

	/**
	 * Returns the number of relations known.
	 * @return the size
	 */
	public int size() {
		return this.relations.size();
	}

	/**
	 * Forgets all relations.
	 */
	public void clear() {
		this.relations.clear();
		this.last = null;
	}

}
