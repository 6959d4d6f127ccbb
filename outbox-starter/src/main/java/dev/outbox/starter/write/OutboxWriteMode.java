package dev.outbox.starter.write;

import dev.outbox.contract.EventMessage;
import dev.outbox.contract.TableName;

/**
 * How the starter writes an event in the business transaction ({@code outbox.write-mode}).
 * Every mode sits behind the same {@code Outbox.publish}, {@code @OutboxEvent} and domain-event
 * API and the same checks of the caller's transaction, so switching is configuration only; the
 * relay publishes all three with no setting of its own.
 */
public enum OutboxWriteMode {

	/**
	 * INSERT and DELETE of a row of the outbox table in the business transaction: the table
	 * stays empty and the WAL keeps the INSERT. The default.
	 */
	TABLE {
		@Override
		EventBatchWrite batchWrite(TableName table) {
			return new OutboxBatchStatements(table);
		}
	},

	/**
	 * No row: one transactional {@code pg_logical_emit_message} per event, with the prefix and
	 * JSON content of {@link EventMessage}. Least WAL and no dead tuples; the function must be
	 * executable by the writing role only.
	 */
	MESSAGE {
		@Override
		EventBatchWrite batchWrite(TableName table) {
			return new EventMessageBatch(table);
		}
	},

	/**
	 * INSERT of a row that is kept, for audit and replay; rows older than
	 * {@code outbox.retain.retention} are deleted by the purge.
	 */
	RETAIN {
		@Override
		EventBatchWrite batchWrite(TableName table) {
			return new RetainedRowBatch(table);
		}
	};

	/**
	 * The statements of this mode for one outbox.
	 * @param table the outbox table
	 * @return how a batch is written
	 */
	abstract EventBatchWrite batchWrite(TableName table);

}
