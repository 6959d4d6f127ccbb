package dev.outbox.starter.write;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import dev.outbox.contract.TableName;

/**
 * {@link OutboxWriteMode#RETAIN}: the INSERT of {@link OutboxBatchStatements} without the
 * DELETE, so the rows stay until the purge removes them.
 */
final class RetainedRowBatch implements EventBatchWrite {

	private final OutboxBatchStatements statements;

	RetainedRowBatch(TableName table) {
		this.statements = new OutboxBatchStatements(table);
	}

	@Override
	public void write(Connection connection, List<OutboxRecord> batch) throws SQLException {
		this.statements.insert(connection, batch);
	}

}
