package dev.outbox.starter;

import java.util.Map;

/**
 * Marks an application event as an outbox event. Any event of this type published through
 * Spring's {@code ApplicationEventPublisher} on a thread with a transaction is written to the
 * outbox in that transaction. That includes Spring Data domain events: those registered with
 * {@code AbstractAggregateRoot#registerEvent} or returned from a {@code @DomainEvents} method
 * are published when the aggregate is saved, inside the repository's transaction.
 * <pre class="code">
 * public record OrderPlaced(String orderId, BigDecimal total) implements OutboxDomainEvent {
 *     public String aggregateType() { return "Order"; }
 *     public String aggregateId() { return orderId; }
 * }
 * </pre>
 * The listener is a plain synchronous {@code @EventListener}, not a
 * {@code @TransactionalEventListener}: the outbox itself defers the write to the end of the
 * transaction, and a plain listener makes a bad event fail inside {@code save(...)} and
 * publishing outside a transaction fail loudly instead of being dropped.
 * <p>
 * Records serialize only their components, so the accessors below do not leak into the
 * payload of a record. A class that exposes them as JavaBean getters should override
 * {@link #payload()}.
 */
public interface OutboxDomainEvent {

	/**
	 * Type of the aggregate the event belongs to, for example {@code "Order"}.
	 * @return the aggregate type
	 */
	String aggregateType();

	/**
	 * Id of the aggregate the event belongs to.
	 * @return the aggregate id
	 */
	String aggregateId();

	/**
	 * Type of the event; the simple class name by default.
	 * @return the event type
	 */
	default String eventType() {
		return getClass().getSimpleName();
	}

	/**
	 * The payload to serialize; the event itself by default.
	 * @return the payload
	 */
	default Object payload() {
		return this;
	}

	/**
	 * User headers to store with the event; none by default.
	 * @return the headers
	 */
	default Map<String, String> headers() {
		return Map.of();
	}

}
