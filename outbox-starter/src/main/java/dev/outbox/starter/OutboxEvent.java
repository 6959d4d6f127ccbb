package dev.outbox.starter;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Publishes an event through {@link Outbox} when the annotated method of a Spring bean
 * returns normally. The method must run inside a read-write transaction (typically it is
 * itself {@code @Transactional}): the event is written in that transaction, after the
 * method body and before the commit. A method that throws publishes nothing. Without a
 * read-write transaction the call fails before the method body runs. As with
 * {@code @Transactional}, only calls through the Spring proxy are intercepted, not calls of a
 * bean to its own methods.
 * <p>
 * {@link #aggregateId()}, {@link #payload()} and {@link #condition()} are SpEL expressions.
 * They see the method's parameters by name ({@code #order}; the code must be compiled with
 * {@code -parameters}, which Spring Boot's parent POM does) or by index ({@code #p0}), the
 * return value as {@code #result}, and beans as {@code @beanName}. An expression that
 * fails, or yields {@code null} where a value is needed, throws
 * {@link InvalidOutboxEventException} naming the expression, so the transaction rolls back.
 * <p>
 * Repeatable: one method may publish several events, in declaration order.
 * <p>
 * Each annotation also declares its event type at startup, with the method's return type as
 * payload type, or {@link #payloadType()} when the payload is another expression:
 * <pre class="code">
 * &#64;OutboxEvent(aggregateType = "Customer", aggregateId = "#customer", eventType = "BigOrderPlaced",
 *         payload = "new com.example.BigOrder(#id, #customer)", payloadType = BigOrder.class)
 * </pre>
 * <pre class="code">
 * &#64;Transactional
 * &#64;OutboxEvent(aggregateType = "Order", aggregateId = "#result.id", eventType = "OrderPlaced")
 * public Order place(PlaceOrder command) { ... }
 * </pre>
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Repeatable(OutboxEvents.class)
public @interface OutboxEvent {

	/**
	 * Type of the aggregate the event belongs to, for example {@code "Order"}. A literal,
	 * not an expression.
	 * @return the aggregate type
	 */
	String aggregateType();

	/**
	 * SpEL expression for the aggregate id, for example {@code "#result.id"} or
	 * {@code "#command.orderId"}. Its value is converted with {@code toString()}.
	 * @return the aggregate id expression
	 */
	String aggregateId();

	/**
	 * Type of the event, for example {@code "OrderPlaced"}. A literal, not an expression.
	 * @return the event type
	 */
	String eventType();

	/**
	 * SpEL expression for the payload; the return value by default.
	 * @return the payload expression
	 */
	String payload() default "#result";

	/**
	 * Java type of the payload, which declares the event type and its payload type at startup
	 * (see {@link OutboxEventTypes}). Needed when {@link #payload()} is not the default
	 * {@code "#result"}, since the type of another expression is not known before it runs; by
	 * default ({@code void.class}) the method's return type. Startup fails, naming the
	 * method, when neither gives a payload type (a {@code void} or {@code Object} return
	 * type, or another payload expression without this attribute).
	 * @return the payload type, or {@code void.class} for the method's return type
	 */
	Class<?> payloadType() default void.class;

	/**
	 * SpEL expression that must yield {@code true} for the event to be published; empty
	 * (the default) means always.
	 * @return the condition expression
	 */
	String condition() default "";

}
