package dev.outbox.starter;

import java.util.Map;

/**
 * Publishes an event by writing it to the outbox table inside the caller's transaction.
 * <p>
 * The event is validated and its payload serialized at the call site, so a bad event fails
 * here, inside the business transaction, which then rolls back. The row itself is INSERTed
 * and DELETEd in batches later in the same transaction (at the latest just before commit):
 * the table stays empty and the relay reads the INSERT from the WAL. If the transaction
 * rolls back, the event never existed.
 * <p>
 * Requirements, each checked on every call with a clear exception:
 * <ul>
 * <li>a read-write transaction is active on the thread, managed by a transaction manager
 * that binds a connection of the outbox {@code DataSource} ({@code DataSourceTransactionManager},
 * {@code JdbcTransactionManager}, {@code JpaTransactionManager});
 * {@link org.springframework.transaction.IllegalTransactionStateException} otherwise;</li>
 * <li>aggregate type, aggregate id and event type are not blank and at most 255 characters;</li>
 * <li>the event type is declared at startup (see {@link OutboxEventTypes}), unless
 * {@code outbox.contract.require-declared-event-types=false};</li>
 * <li>the payload is not {@code null}, serializes to JSON with the application's
 * {@code JsonMapper}, and is no larger than {@code outbox.max-payload-size};</li>
 * <li>no header is larger than {@code outbox.max-header-size}, and none has a name the relay
 * writes itself ({@code id}, {@code eventType}, {@code aggregateType}).</li>
 * </ul>
 * Violations of the last four throw {@link InvalidOutboxEventException}.
 * <p>
 * Events of one transaction reach the WAL in publish order. Implementations are
 * thread-safe; each call affects only the transaction of the calling thread.
 */
public interface Outbox {

	/**
	 * Publish an event without user headers.
	 * @param aggregateType type of the aggregate the event belongs to, for example
	 * {@code "Order"}; the relay routes on it
	 * @param aggregateId id of the aggregate; the relay uses it as the message key, so events
	 * of one aggregate stay in order
	 * @param eventType type of the event, for example {@code "OrderPlaced"}
	 * @param payload the event body, serialized to JSON with the application's
	 * {@code JsonMapper}
	 */
	default void publish(String aggregateType, String aggregateId, String eventType, Object payload) {
		publish(aggregateType, aggregateId, eventType, payload, Map.of());
	}

	/**
	 * Publish an event with user headers. Headers from
	 * {@link OutboxHeadersContributor contributors} (such as {@code traceparent}) are added
	 * first; a user header with the same name replaces them.
	 * @param aggregateType type of the aggregate the event belongs to
	 * @param aggregateId id of the aggregate
	 * @param eventType type of the event
	 * @param payload the event body
	 * @param headers headers to store with the event; neither names nor values may be
	 * {@code null}, and names the relay writes itself ({@code id}, {@code eventType},
	 * {@code aggregateType}, ignoring case) are rejected with an
	 * {@link InvalidOutboxEventException}
	 */
	void publish(String aggregateType, String aggregateId, String eventType, Object payload,
			Map<String, String> headers);

}
