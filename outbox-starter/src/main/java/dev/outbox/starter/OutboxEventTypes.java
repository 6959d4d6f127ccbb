package dev.outbox.starter;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * Declares event types that only {@link Outbox#publish Outbox.publish(...)} calls publish,
 * with the Java type of their payload; define one or more as beans.
 * <p>
 * The starter knows every event type at startup, before traffic, and refuses to publish one
 * it does not know (unless {@code outbox.contract.require-declared-event-types=false}). It
 * finds most of them itself:
 * <ul>
 * <li>each {@link OutboxEvent @OutboxEvent} method of a bean: its {@code eventType}, with
 * the method's return type (or its {@link OutboxEvent#payloadType() payloadType}) as
 * payload type;</li>
 * <li>each concrete {@link OutboxDomainEvent} class in the application's packages (those of
 * {@code @SpringBootApplication}, as for entity scanning) that keeps the default
 * {@link OutboxDomainEvent#eventType() eventType()} and {@link OutboxDomainEvent#payload()
 * payload()}: its simple class name, with the class as payload type. A class that overrides
 * either is not known until an instance exists: declare it here.</li>
 * </ul>
 * What remains, the payloads a program passes to {@code Outbox.publish} itself, is declared
 * here:
 * <pre class="code">
 * &#64;Bean
 * OutboxEventTypes orderEventTypes() {
 *     return OutboxEventTypes.of((types) -&gt; types
 *         .declare("OrderCancelled", OrderCancelled.class)
 *         .declare("OrderRefunded", OrderRefunded.class));
 * }
 * </pre>
 * Declaring a type again with the same payload type, here or elsewhere, is harmless; one
 * event type declared with two payload types fails startup, naming both declarations.
 */
public final class OutboxEventTypes {

	private final Map<String, Class<?>> eventTypes;

	private OutboxEventTypes(Map<String, Class<?>> eventTypes) {
		this.eventTypes = Collections.unmodifiableMap(eventTypes);
	}

	/**
	 * Create declarations.
	 * @param declarations declares the event types, each with {@link Declarations#declare}
	 * @return the declarations, to return from a {@code @Bean} method
	 */
	public static OutboxEventTypes of(Consumer<Declarations> declarations) {
		Map<String, Class<?>> eventTypes = new LinkedHashMap<>();
		declarations.accept(new Declarations(eventTypes));
		return new OutboxEventTypes(eventTypes);
	}

	/**
	 * The declared event types with their payload types, in declaration order.
	 * @return event type to payload type
	 */
	public Map<String, Class<?>> eventTypes() {
		return this.eventTypes;
	}

	@Override
	public String toString() {
		return "OutboxEventTypes" + this.eventTypes;
	}

	/**
	 * Collects the declarations of one {@link OutboxEventTypes}.
	 */
	public static final class Declarations {

		private final Map<String, Class<?>> eventTypes;

		private Declarations(Map<String, Class<?>> eventTypes) {
			this.eventTypes = eventTypes;
		}

		/**
		 * Declare an event type.
		 * @param eventType the event type, as passed to {@code Outbox.publish}, for example
		 * {@code "OrderCancelled"}
		 * @param payloadType the Java type of the payloads published under it, as the
		 * application's {@code JsonMapper} serializes them
		 * @return these declarations, for chaining
		 * @throws IllegalArgumentException if the event type is blank or longer than 255
		 * characters, the payload type is {@code void}, or the event type was already
		 * declared here with another payload type
		 */
		public Declarations declare(@Nullable String eventType, @Nullable Class<?> payloadType) {
			if (eventType == null || eventType.isBlank() || eventType.codePointCount(0, eventType.length()) > 255) {
				throw new IllegalArgumentException("OutboxEventTypes: the event type must be 1 to 255 characters and "
						+ "not blank, but is " + ((eventType == null) ? "null" : "'" + eventType + "'"));
			}
			if (payloadType == null || payloadType == void.class || payloadType == Void.class) {
				throw new IllegalArgumentException("OutboxEventTypes: event type '" + eventType + "' needs the Java "
						+ "type of its payload, but got " + payloadType);
			}
			Class<?> earlier = this.eventTypes.putIfAbsent(eventType, payloadType);
			if (earlier != null && earlier != payloadType) {
				throw new IllegalArgumentException("OutboxEventTypes: event type '" + eventType + "' is declared "
						+ "twice, with payload types " + earlier.getName() + " and " + payloadType.getName()
						+ "; an event type has one payload type");
			}
			return this;
		}

	}

}
