package dev.outbox.starter.contract;

import java.util.Collection;
import java.util.Optional;

/**
 * The event types an application publishes, collected at startup: from {@code @OutboxEvent}
 * methods, from {@code OutboxDomainEvent} types in the application's packages and from
 * explicit declarations. The write path refuses an event type the catalog does not hold, and
 * the schema registry registers one schema per event type it holds.
 */
public interface EventTypeCatalog {

	/**
	 * Every declared event type, one entry per event type, ordered by event type.
	 * @return the declarations
	 */
	Collection<EventTypeDeclaration> declarations();

	/**
	 * The declaration of one event type.
	 * @param eventType the event type
	 * @return its declaration, or empty when the event type was not declared
	 */
	Optional<EventTypeDeclaration> find(String eventType);

}
