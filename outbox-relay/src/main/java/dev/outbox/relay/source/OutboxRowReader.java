package dev.outbox.relay.source;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.outbox.relay.event.InvalidOutboxRowException;
import dev.outbox.relay.event.OutboxRow;
import dev.outbox.relay.source.pgoutput.InsertMessage;
import dev.outbox.relay.source.pgoutput.RelationMessage;
import dev.outbox.relay.source.pgoutput.TimestamptzParser;
import dev.outbox.relay.source.pgoutput.TupleData;

/**
 * Reads the columns of the table contract out of a decoded outbox INSERT.
 * <p>
 * Columns are found by name, so the table may have extra columns or another column order. The
 * optional column {@value #SCHEMA_VERSION} (migration {@code V3}) is read when the table has it; a
 * table created before it is relayed as before, its events without a schema version. The
 * column positions are computed once per {@link RelationMessage} (PostgreSQL sends a new one
 * after every ALTER TABLE). Used by the reader thread only.
 */
public final class OutboxRowReader {

	private @Nullable RelationMessage relation;

	private int[] positions = new int[0];

	private int schemaVersionPosition = -1;

	/**
	 * The columns of the table contract the relay reads, the one list of them: the startup check
	 * of the publication's column list refuses a list without any of them.
	 */
	static final List<String> COLUMNS = List.of("id", "aggregate_type", "aggregate_id", "event_type", "payload",
			"headers", "created_at");

	/** The optional column of the table contract: the event's schema version (migration V3). */
	static final String SCHEMA_VERSION = "schema_version";

	/**
	 * Reads one row.
	 * @param insert an INSERT into the outbox table
	 * @param lsn the INSERT's own LSN (its XLogData start)
	 * @return the row
	 * @throws InvalidOutboxRowException when a column of the contract is missing or null
	 */
	public OutboxRow read(InsertMessage insert, long lsn) {
		int[] at = positionsFor(insert.relation());
		TupleData tuple = insert.newTuple();
		String id = required(tuple, at[0], "id", null);
		return new OutboxRow(id, required(tuple, at[1], "aggregate_type", id), required(tuple, at[2], "aggregate_id", id),
				required(tuple, at[3], "event_type", id), required(tuple, at[4], "payload", id), tuple.text(at[5]),
				(this.schemaVersionPosition < 0) ? null : schemaVersion(tuple.text(this.schemaVersionPosition), id),
				createdAt(required(tuple, at[6], "created_at", id), id), lsn);
	}

	private int[] positionsFor(RelationMessage current) {
		if (current != this.relation) {
			int[] found = new int[COLUMNS.size()];
			for (int i = 0; i < found.length; i++) {
				found[i] = current.columnIndex(COLUMNS.get(i));
				if (found[i] < 0) {
					throw new InvalidOutboxRowException("Table " + current.qualifiedName() + " lacks column " + COLUMNS.get(i)
							+ " of the outbox contract (db/migration/V1__outbox_event.sql); fix the table or "
							+ "outbox.relay.table");
				}
			}
			this.positions = found;
			this.schemaVersionPosition = current.columnIndex(SCHEMA_VERSION);
			this.relation = current;
		}
		return this.positions;
	}

	private static String required(TupleData tuple, int position, String column, @Nullable String id) {
		String value = tuple.text(position);
		if (value == null) {
			throw new InvalidOutboxRowException("Outbox row " + ((id != null) ? id : "(no id)") + " has a null " + column
					+ "; the outbox contract makes it NOT NULL");
		}
		return value;
	}

	/**
	 * Reads the optional schema version.
	 * @param text the column's text, or {@code null}
	 * @param id the event id, for the error
	 * @return the version, or {@code null}
	 * @throws InvalidOutboxRowException when the version is not an integer from 1
	 */
	static @Nullable Integer schemaVersion(@Nullable String text, String id) {
		if (text == null) {
			return null;
		}
		try {
			int version = Integer.parseInt(text);
			if (version >= 1) {
				return version;
			}
		}
		catch (NumberFormatException ex) {
			// reported below
		}
		throw new InvalidOutboxRowException("Outbox row " + id + " has schema_version " + text
				+ "; the contract makes it an integer from 1, or null");
	}

	private static Instant createdAt(String text, String id) {
		try {
			return TimestamptzParser.parse(text);
		}
		catch (DateTimeParseException ex) {
			throw new InvalidOutboxRowException("Outbox row " + id + " has a created_at the relay cannot read: '" + text
					+ "'; the contract makes it timestamptz", ex);
		}
	}

}
