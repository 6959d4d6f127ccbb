package dev.outbox.starter.inbox.kafka;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import dev.outbox.contract.ReservedHeaders;

/**
 * Applies each record a {@code @KafkaListener} method receives once in effect, through the
 * {@link dev.outbox.starter.inbox.Inbox}: the method body runs, in a transaction, only if the
 * record's event id was not applied before by this consumer.
 *
 * <pre class="code">
 * &#064;KafkaListener(topics = "outbox.event.order")
 * &#064;InboxListener(consumer = "order-history")
 * void on(ConsumerRecord&lt;String, String&gt; record) {
 *     history.record(record.key(), record.value());   // JDBC or JPA writes: applied once
 * }
 * </pre>
 * <p>
 * For each call:
 * <ol>
 * <li>the event id is the {@value #EVENT_ID_HEADER} header of the method's
 * {@code ConsumerRecord} parameter, as the outbox relay writes it. A record without it (or
 * with an empty one) fails with {@link MissingEventIdException}, before anything runs: it is
 * never applied blindly nor dropped silently, and the container's error handler decides what
 * happens to it;</li>
 * <li>a transaction is opened with {@code PROPAGATION_REQUIRED} on the application's
 * transaction manager (see {@link #transactionManager()}), or joined if one is already active
 * for its data source. A {@code @Transactional} on the same method joins it too; its
 * attributes (isolation, timeout, rollback rules) do not apply when the inbox started the
 * transaction;</li>
 * <li>inside it, the inbox records the event id and runs the method body, or skips it for a
 * duplicate and returns {@code null};</li>
 * <li>any exception from the body, checked or not, rolls the transaction back, the inbox
 * record with it, and propagates to the container, so a redelivery applies the event.</li>
 * </ol>
 * <p>
 * <b>Typed payloads.</b> Instead of (or besides) the {@code ConsumerRecord}, the method may take
 * the event's payload as a Java type, read from the record value with the application's
 * {@code JsonMapper}, and is then called only for the event types it handles:
 * <pre class="code">
 * &#064;KafkaListener(topics = "outbox.event.order")
 * &#064;InboxListener(consumer = "order-history")
 * void on(OrderEvent event) {                       // OrderPlaced, OrderPaid, ... by eventType
 *     history.record(event);
 * }
 * </pre>
 * The payload parameter is the one parameter that is not a {@code ConsumerRecord},
 * {@code String}, {@code byte[]}, spring-kafka's {@code Acknowledgment}, {@code Consumer} or
 * {@code ConsumerRecordMetadata}, a {@code Message}, nor annotated with {@code @Header} or
 * {@code @Headers}. The record's {@value #EVENT_TYPE_HEADER} header chooses the class it is read
 * into: for an event type of {@link #eventTypes()}, or else of the application's event type
 * catalog whose payload type is the parameter's type or a subtype of it, that payload type; for
 * a schema version bound with {@link #payloadVersions()}, chosen by the record's
 * {@value #SCHEMA_VERSION_HEADER} header, the class bound to it. A
 * record of another event type fails with {@link UnhandledEventTypeException} unless
 * {@link #otherEventTypes()} is {@link OtherEventTypes#SKIP SKIP}; a value that cannot be read
 * into the class fails with {@link EventPayloadException}. Both fail before the transaction
 * opens, so nothing is recorded in the inbox, and go to the container's error handler.
 * <p>
 * The method must take exactly one {@code ConsumerRecord} parameter, or one payload parameter
 * and at most one {@code ConsumerRecord} (record listeners only, not batch listeners), and must
 * not return a primitive; this is checked at startup. Its bean is proxied by a post-processor
 * that runs before spring-kafka's, so the listener container calls the proxy.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface InboxListener {

	/** Name of the record header that holds the event id. */
	String EVENT_ID_HEADER = ReservedHeaders.ID;

	/** Name of the record header that holds the event type. */
	String EVENT_TYPE_HEADER = ReservedHeaders.EVENT_TYPE;

	/** Name of the record header that holds the registered schema version of the payload. */
	String SCHEMA_VERSION_HEADER = ReservedHeaders.SCHEMA_VERSION;

	/**
	 * Name of the consumer in the inbox, which applies each event once; property placeholders
	 * ({@code ${...}}) are resolved. Empty (the default): the listener's Kafka consumer group
	 * id. Name it explicitly to keep deduplicating across a change of group id, and use a
	 * different name for every listener that must see every event.
	 * @return the consumer name
	 */
	String consumer() default "";

	/**
	 * Bean name of the transaction manager that opens the transaction; it must manage the
	 * inbox's {@code DataSource}. Empty (the default): the application's only, or primary,
	 * {@code PlatformTransactionManager}.
	 * @return the transaction manager bean name
	 */
	String transactionManager() default "";

	/**
	 * Event types a method with a payload parameter handles. Empty (the default): every event
	 * type of the application's event type catalog (see {@code OutboxEventTypes}) whose payload
	 * type is the parameter's type or a subtype of it; a listener in a service that does not
	 * publish these event types names them here. Each is read into its catalog payload type
	 * when the catalog declares it, else into the parameter's type. Not allowed on a method
	 * without payload parameter.
	 * @return the event types, as in the record's {@value #EVENT_TYPE_HEADER} header
	 */
	String[] eventTypes() default {};

	/**
	 * Schema versions of event types the method handles that are read into classes of their
	 * own, for a consumer that still receives events of an earlier (or a specific) schema: a
	 * record whose {@value #EVENT_TYPE_HEADER} and {@value #SCHEMA_VERSION_HEADER} headers match
	 * a binding is read into its class, any other record of the event type (another version, or
	 * no {@value #SCHEMA_VERSION_HEADER} header) into the event type's default class (see
	 * {@link #eventTypes()}). Empty (the default): the default classes only. Checked at
	 * startup: each binding names an event type the method handles and a version from 1, binds
	 * a class the payload parameter can hold, and binds a version not bound before. Not allowed
	 * on a method without payload parameter.
	 * @return the bindings
	 */
	InboxPayload[] payloadVersions() default {};

	/**
	 * What a method with a payload parameter does with a record of an event type it does not
	 * handle (or without {@value #EVENT_TYPE_HEADER} header).
	 * @return {@link OtherEventTypes#FAIL} (the default) or {@link OtherEventTypes#SKIP}
	 */
	OtherEventTypes otherEventTypes() default OtherEventTypes.FAIL;

	/**
	 * What an {@link InboxListener @InboxListener} method with a payload parameter does with a
	 * record of an event type it does not handle.
	 */
	enum OtherEventTypes {

		/**
		 * Throw {@link UnhandledEventTypeException} to the container's error handler: a new
		 * event type on the topic is noticed, not lost.
		 */
		FAIL,

		/**
		 * Skip the record without calling the method nor recording it in the inbox (logged at
		 * DEBUG), for a listener that wants only some of a topic's event types.
		 */
		SKIP

	}

}
