package dev.outbox.starter.inbox;

/**
 * Applies a consumed event once in effect, however often it is delivered.
 * <p>
 * Delivery from the outbox is at least once: after a relay restart or a consumer rebalance the
 * same event (same id) can arrive again, possibly much later. {@link #applyOnce} records the
 * event id in the inbox table <em>in the caller's transaction</em> and runs the caller's work
 * only if the id was not recorded before, so the work's database writes and the record of
 * having done them commit or roll back together.
 * <p>
 * Requirements, checked on every call with a clear exception:
 * <ul>
 * <li>a read-write transaction is active on the thread, managed by a transaction manager that
 * binds a connection of the inbox {@code DataSource} ({@code DataSourceTransactionManager},
 * {@code JdbcTransactionManager}, {@code JpaTransactionManager});
 * {@link org.springframework.transaction.IllegalTransactionStateException} otherwise;</li>
 * <li>consumer and event id are not blank and at most 255 characters;
 * {@link IllegalArgumentException} otherwise.</li>
 * </ul>
 * The work must write through that same transaction (a {@code JdbcTemplate}, {@code JdbcClient}
 * or JPA repository on the same {@code DataSource}). Effects outside the database, such as an
 * e-mail or an HTTP call, are not covered: they may happen more than once.
 * <p>
 * Implementations are thread-safe; each call affects only the transaction of the calling
 * thread. For Kafka listeners, {@link dev.outbox.starter.inbox.kafka.InboxListener @InboxListener}
 * reads the event id from the record and opens the transaction.
 */
public interface Inbox {

	/**
	 * Run {@code work} unless this consumer has applied this event before, and record that it
	 * has, both in the current transaction.
	 * <p>
	 * If the work throws, the exception propagates and the caller's transaction must roll
	 * back (a transaction that commits anyway would record the event as applied without its
	 * effects); the event is then applied on its next delivery.
	 * @param consumer the consumer applying the event, for example {@code "order-history"}; each
	 * consumer applies every event once, so two consumers sharing a database do not skip each
	 * other's events. Keep it stable: under a new name, every event is new again
	 * @param eventId the event's id, the {@code id} header of records from the outbox relay
	 * @param work the consumer's own database writes for this event
	 * @return {@code true} if the work ran, {@code false} if the event was a duplicate and was
	 * skipped
	 * @throws org.springframework.transaction.IllegalTransactionStateException if no suitable
	 * transaction is active; nothing was recorded and the work did not run
	 * @throws IllegalArgumentException if the consumer or the event id is blank or too long
	 */
	boolean applyOnce(String consumer, String eventId, Runnable work);

}
