package dev.outbox.starter;

import java.util.Map;

/**
 * Adds headers to every event written through {@link Outbox}. Beans of this type are
 * applied in {@link org.springframework.core.annotation.Order order}, before the user
 * headers passed to {@link Outbox#publish(String, String, String, Object, Map)}, which win
 * on a name clash. The starter contributes {@code traceparent} when Micrometer Tracing has
 * a current span.
 * <p>
 * Called on the publishing thread, inside its transaction. Implementations must be
 * thread-safe and must not put {@code null} names or values, nor a name the relay writes
 * itself ({@link dev.outbox.contract.ReservedHeaders}): publishing then fails with an
 * {@link InvalidOutboxEventException} naming the contributor.
 */
@FunctionalInterface
public interface OutboxHeadersContributor {

	/**
	 * Add headers for the event being published.
	 * @param headers the headers collected so far, to add to
	 */
	void contribute(Map<String, String> headers);

}
