package dev.outbox.starter.write;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.postgresql.PGStatement;

import dev.outbox.contract.TableName;

/**
 * {@link OutboxWriteMode#TABLE}: the two statements that write a batch of events, one INSERT
 * of all rows, one DELETE of exactly the row versions that INSERT created. The INSERT alone
 * is {@link OutboxWriteMode#RETAIN}'s ({@link RetainedRowBatch}).
 * <p>
 * <b>Why the DELETE is by {@code ctid}.</b> INSERT+DELETE keeps the table empty. Once VACUUM
 * has truncated it, its statistics say "no pages", and a plan for
 * {@code DELETE ... WHERE id = ?} chosen then is a sequential scan. pgjdbc prepares a
 * statement on the server after a few executions and PostgreSQL then caches a generic plan,
 * so that sequential scan stays while dead rows pile up, and every DELETE reads them all
 * (seen on PostgreSQL 15: 100,000 events in 40 s instead of 3.5 s, at full CPU). Here the
 * INSERT returns the {@code ctid} of every row it wrote and the DELETE names those ctids,
 * so it touches exactly those row versions and needs no index and no statistics: the
 * planner can use a TID scan, which reads one page per row. The DELETE is also never
 * server-prepared ({@code prepareThreshold = 0}), so PostgreSQL plans it each time for the
 * actual array against the table's actual current size; a sequential scan is chosen only
 * while the table really is a few pages, where it is as cheap as the TID scan.
 * <p>
 * <b>Why the ctids are stable.</b> The rows are invisible to every other transaction until
 * commit, so nobody else can update or lock them; VACUUM never moves a tuple, and
 * {@code VACUUM FULL}/{@code CLUSTER} need an ACCESS EXCLUSIVE lock that conflicts with the
 * ROW EXCLUSIVE lock this transaction holds. Between the INSERT and the DELETE of one batch
 * nothing else runs in this transaction. So the ctid returned by the INSERT still names the
 * same row version at the DELETE.
 * <p>
 * <b>Schema version.</b> A batch in which some event carries a schema version (the registry is
 * on) is inserted with the {@code schema_version} column; one in which none does is inserted
 * without it, so a table without the column (created before it, by hand) works as before.
 * <p>
 * <b>Order.</b> The INSERT takes its rows from {@code unnest(...) WITH ORDINALITY ORDER BY
 * ordinality}, so rows, and their WAL records, follow the order of the batch, which is
 * publish order. Both counts are checked: a batch is written whole or the statement throws
 * and the transaction cannot commit.
 */
final class OutboxBatchStatements implements EventBatchWrite {

	private static final Log logger = LogFactory.getLog(OutboxBatchStatements.class);

	private final String insertSql;

	private final String versionedInsertSql;

	private final String deleteSql;

	private volatile boolean warnedAboutPlanCaching;

	OutboxBatchStatements(TableName table) {
		String name = table.qualified();
		this.insertSql = "INSERT INTO " + name
				+ " (id, aggregate_type, aggregate_id, event_type, payload, headers)"
				+ " SELECT e.id, e.aggregate_type, e.aggregate_id, e.event_type, e.payload::jsonb, e.headers::jsonb"
				+ " FROM unnest(?::uuid[], ?::varchar[], ?::varchar[], ?::varchar[], ?::text[], ?::text[])"
				+ " WITH ORDINALITY AS e(id, aggregate_type, aggregate_id, event_type, payload, headers, ord)"
				+ " ORDER BY e.ord RETURNING ctid";
		this.versionedInsertSql = "INSERT INTO " + name
				+ " (id, aggregate_type, aggregate_id, event_type, payload, headers, schema_version)"
				+ " SELECT e.id, e.aggregate_type, e.aggregate_id, e.event_type, e.payload::jsonb, e.headers::jsonb,"
				+ " e.schema_version"
				+ " FROM unnest(?::uuid[], ?::varchar[], ?::varchar[], ?::varchar[], ?::text[], ?::text[], ?::int[])"
				+ " WITH ORDINALITY AS e(id, aggregate_type, aggregate_id, event_type, payload, headers,"
				+ " schema_version, ord)"
				+ " ORDER BY e.ord RETURNING ctid";
		this.deleteSql = "DELETE FROM " + name + " WHERE ctid = ANY (?::tid[])";
	}

	String insertSql() {
		return this.insertSql;
	}

	String deleteSql() {
		return this.deleteSql;
	}

	/**
	 * Write a batch on the given transactional connection.
	 * @param connection the connection of the caller's transaction
	 * @param batch the events, in publish order, not empty
	 * @throws SQLException if a statement fails
	 */
	@Override
	public void write(Connection connection, List<OutboxRecord> batch) throws SQLException {
		List<String> ctids = insert(connection, batch);
		int deleted = delete(connection, ctids);
		if (deleted != ctids.size()) {
			throw new IllegalStateException("Outbox DELETE removed " + deleted + " of the " + ctids.size()
					+ " rows just inserted; nothing else may modify outbox rows inside the writing transaction");
		}
	}

	/**
	 * Insert a batch of rows, in publish order.
	 * @param connection the connection of the caller's transaction
	 * @param batch the events, in publish order, not empty
	 * @return the ctids of the rows written, one per event
	 * @throws SQLException if the statement fails
	 */
	List<String> insert(Connection connection, List<OutboxRecord> batch) throws SQLException {
		int size = batch.size();
		UUID[] ids = new UUID[size];
		String[] aggregateTypes = new String[size];
		String[] aggregateIds = new String[size];
		String[] eventTypes = new String[size];
		String[] payloads = new String[size];
		String[] headers = new String[size];
		Integer[] schemaVersions = new Integer[size];
		boolean versioned = false;
		for (int i = 0; i < size; i++) {
			OutboxRecord event = batch.get(i);
			ids[i] = event.id();
			aggregateTypes[i] = event.aggregateType();
			aggregateIds[i] = event.aggregateId();
			eventTypes[i] = event.eventType();
			payloads[i] = event.payload();
			headers[i] = event.headers();
			schemaVersions[i] = event.schemaVersion();
			versioned |= (event.schemaVersion() != null);
		}
		List<String> ctids = new ArrayList<>(size);
		try (PreparedStatement statement = connection
			.prepareStatement(versioned ? this.versionedInsertSql : this.insertSql)) {
			statement.setArray(1, connection.createArrayOf("uuid", ids));
			statement.setArray(2, connection.createArrayOf("varchar", aggregateTypes));
			statement.setArray(3, connection.createArrayOf("varchar", aggregateIds));
			statement.setArray(4, connection.createArrayOf("varchar", eventTypes));
			statement.setArray(5, connection.createArrayOf("text", payloads));
			statement.setArray(6, connection.createArrayOf("text", headers));
			if (versioned) {
				statement.setArray(7, connection.createArrayOf("int4", schemaVersions));
			}
			try (ResultSet rows = statement.executeQuery()) {
				while (rows.next()) {
					ctids.add(rows.getString(1));
				}
			}
		}
		if (ctids.size() != size) {
			throw new IllegalStateException("Outbox INSERT wrote " + ctids.size() + " rows for a batch of " + size
					+ " events; a rule or trigger on the outbox table must not change inserts");
		}
		return ctids;
	}

	private int delete(Connection connection, List<String> ctids) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(this.deleteSql)) {
			neverPrepareOnServer(statement);
			Array array = connection.createArrayOf("text", ctids.toArray(new String[0]));
			statement.setArray(1, array);
			return statement.executeUpdate();
		}
	}

	private void neverPrepareOnServer(PreparedStatement statement) throws SQLException {
		if (statement.isWrapperFor(PGStatement.class)) {
			statement.unwrap(PGStatement.class).setPrepareThreshold(0);
		}
		else if (!this.warnedAboutPlanCaching) {
			this.warnedAboutPlanCaching = true;
			logger.warn("The outbox DELETE statement is not a pgjdbc PGStatement (" + statement.getClass().getName()
					+ "), so server-side preparation cannot be turned off for it; set plan_cache_mode = "
					+ "force_custom_plan for the outbox user if DELETE plans degrade after VACUUM");
		}
	}

}
