package dev.outbox.starter;

import org.jspecify.annotations.Nullable;

/**
 * Thrown at the call site when an event cannot be written: a blank or too long aggregate
 * type, aggregate id or event type, an event type that is not declared (see
 * {@link OutboxEventTypes}), a {@code null} or unserializable payload, a payload or
 * header above its configured limit, a header name the relay reserves, or an
 * {@link OutboxEvent @OutboxEvent} expression that fails. The message names the offending
 * field or setting and how to fix it.
 * <p>
 * Nothing of the rejected event has been written. Thrown inside a transactional method, it
 * rolls the business transaction back like any other runtime exception.
 */
public class InvalidOutboxEventException extends IllegalArgumentException {

	private static final long serialVersionUID = 1L;

	/**
	 * Create a new exception.
	 * @param message what is wrong and how to fix it
	 */
	public InvalidOutboxEventException(String message) {
		super(message);
	}

	/**
	 * Create a new exception with a cause.
	 * @param message what is wrong and how to fix it
	 * @param cause the underlying failure
	 */
	public InvalidOutboxEventException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
