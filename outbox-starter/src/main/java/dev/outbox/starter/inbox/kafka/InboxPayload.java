package dev.outbox.starter.inbox.kafka;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binds one schema version of an event type to the class its payloads are read into, for an
 * {@link InboxListener @InboxListener} method with a payload parameter; used only in
 * {@link InboxListener#payloadVersions()}:
 *
 * <pre class="code">
 * &#064;KafkaListener(topics = "outbox.event.order")
 * &#064;InboxListener(payloadVersions = &#064;InboxPayload(eventType = "OrderPlaced", version = 1,
 *         type = OrderPlacedV1.class))
 * void on(OrderEvent event) {   // OrderPlaced of version 1: an OrderPlacedV1; of any other: an OrderPlaced
 *     ...
 * }
 * </pre>
 * A record of that event type whose {@value InboxListener#SCHEMA_VERSION_HEADER} header carries
 * that version is read into {@link #type()}; one of another version, or without the header (an
 * event written by a plain-SQL writer, or by a service without registry), into the event type's
 * default class. The event type must be one the method handles, the version counts from 1, the
 * class must fit the payload parameter, and a version is bound once per method: each is checked
 * at startup.
 */
@Target({})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface InboxPayload {

	/**
	 * The event type, as in the record's {@value InboxListener#EVENT_TYPE_HEADER} header.
	 * @return the event type
	 */
	String eventType();

	/**
	 * The registered schema version, as in the record's
	 * {@value InboxListener#SCHEMA_VERSION_HEADER} header.
	 * @return the version, from 1
	 */
	int version();

	/**
	 * The class payloads of this event type and version are read into, with the application's
	 * {@code JsonMapper}; the method's payload parameter must be able to hold it.
	 * @return the class
	 */
	Class<?> type();

}
