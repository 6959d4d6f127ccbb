package dev.outbox.starter.contract.catalog;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import dev.outbox.starter.contract.EventTypeCatalog;
import dev.outbox.starter.contract.EventTypeDeclaration;

/**
 * An immutable {@link EventTypeCatalog} of given declarations. One event type declared
 * several times with the same payload type is one entry (the first declaration is kept); one
 * event type declared with two payload types is rejected, since it would have two schemas.
 * Pure logic: no Spring, no database. Thread-safe.
 */
public final class DeclaredEventTypeCatalog implements EventTypeCatalog {

	private final Map<String, EventTypeDeclaration> declarations;

	private final List<EventTypeDeclaration> ordered;

	private DeclaredEventTypeCatalog(Map<String, EventTypeDeclaration> declarations) {
		this.declarations = declarations;
		this.ordered = List.copyOf(declarations.values());
	}

	/**
	 * Create a catalog of the given declarations.
	 * @param declarations the declarations, in the order they were found
	 * @return the catalog
	 * @throws EventTypeDeclarationException if an event type is declared with two payload
	 * types; the message names every such event type with both payload types and both
	 * declarations
	 */
	public static DeclaredEventTypeCatalog of(Collection<EventTypeDeclaration> declarations) {
		Map<String, EventTypeDeclaration> byType = new TreeMap<>();
		List<String> conflicts = new ArrayList<>();
		for (EventTypeDeclaration declaration : declarations) {
			EventTypeDeclaration earlier = byType.putIfAbsent(declaration.eventType(), declaration);
			if (earlier != null && earlier.payloadType() != declaration.payloadType()) {
				conflicts.add("event type '" + declaration.eventType() + "' has payload type "
						+ earlier.payloadType().getName() + " in " + earlier.declaredBy() + ", but "
						+ declaration.payloadType().getName() + " in " + declaration.declaredBy());
			}
		}
		if (!conflicts.isEmpty()) {
			throw new EventTypeDeclarationException("Conflicting event type declarations (an event type has one "
					+ "payload type, and so one schema)", conflicts,
					"Give one of the two a different event type, or publish the same payload type in both places.");
		}
		return new DeclaredEventTypeCatalog(byType);
	}

	@Override
	public Collection<EventTypeDeclaration> declarations() {
		return this.ordered;
	}

	@Override
	public Optional<EventTypeDeclaration> find(String eventType) {
		return Optional.ofNullable(this.declarations.get(eventType));
	}

	@Override
	public String toString() {
		return "DeclaredEventTypeCatalog" + this.declarations.keySet();
	}

}
