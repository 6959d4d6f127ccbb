package dev.outbox.relay.source.pgoutput;

import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Relation ({@code 'R'}): the layout of a table, sent before the first change to it in a
 * session and again after its definition changes (for example {@code ALTER TABLE ... ADD
 * COLUMN}).
 *
 * <p>A {@link TupleData} of a later change to this relation has exactly one value per entry
 * of {@link #columns()}, in the same order; the decoder checks this. Generated columns, and
 * columns left out of the publication's column list, are absent from both.
 *
 * @param oid the relation's OID; changes refer to the relation by it
 * @param schema the namespace; empty for {@code pg_catalog}
 * @param table the relation name, exactly as stored (not quoted, case preserved)
 * @param replicaIdentity the relation's {@code REPLICA IDENTITY} setting
 * @param columns the columns, in tuple order
 */
public record RelationMessage(int oid, String schema, String table, ReplicaIdentity replicaIdentity,
		List<Column> columns) implements PgOutputMessage {

	/** The protocol type byte. */
	public static final char TYPE = 'R';

	public RelationMessage {
		Objects.requireNonNull(schema, "schema");
		Objects.requireNonNull(table, "table");
		Objects.requireNonNull(replicaIdentity, "replicaIdentity");
		columns = List.copyOf(columns);
	}

	@Override
	public char type() {
		return TYPE;
	}

	/**
	 * Returns the position of the named column in this relation's tuples.
	 * @param name the column name, exactly as stored
	 * @return the zero-based index, or {@code -1} when the relation has no such column
	 */
	public int columnIndex(String name) {
		for (int i = 0; i < this.columns.size(); i++) {
			if (this.columns.get(i).name().equals(name)) {
				return i;
			}
		}
		return -1;
	}

	/**
	 * Returns {@code schema.table}, unquoted, for messages and logs.
	 * @return the qualified name
	 */
	public String qualifiedName() {
		return this.schema.isEmpty() ? this.table : this.schema + "." + this.table;
	}

	/**
	 * One column of a relation.
	 *
	 * @param name the column name, exactly as stored
	 * @param typeOid the OID of the column's data type
	 * @param typeModifier the type modifier ({@code atttypmod}), {@code -1} when none
	 * @param key whether the column is part of the replica identity key
	 */
	public record Column(String name, int typeOid, int typeModifier, boolean key) {

		public Column {
			Objects.requireNonNull(name, "name");
		}

	}

	/**
	 * The {@code REPLICA IDENTITY} of a relation ({@code pg_class.relreplident}); it decides
	 * which old values Update and Delete messages carry.
	 */
	public enum ReplicaIdentity {

		/** {@code 'd'}: the primary key. */
		DEFAULT('d'),

		/** {@code 'n'}: nothing. */
		NOTHING('n'),

		/** {@code 'f'}: all columns. */
		FULL('f'),

		/** {@code 'i'}: the columns of a chosen unique index. */
		INDEX('i');

		private final char code;

		ReplicaIdentity(char code) {
			this.code = code;
		}

		/**
		 * Returns the code used on the wire and in {@code pg_class.relreplident}.
		 * @return the code
		 */
		public char code() {
			return this.code;
		}

		/**
		 * Returns the replica identity for a wire code.
		 * @param code the code byte
		 * @return the replica identity, or {@code null} when the code is not one of the four
		 */
		public static @Nullable ReplicaIdentity ofCode(int code) {
			for (ReplicaIdentity identity : values()) {
				if (identity.code == code) {
					return identity;
				}
			}
			return null;
		}

	}

}
