package dev.outbox.starter.contract.catalog;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.outbox.starter.contract.EventTypeDeclaration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class DeclaredEventTypeCatalogUnitTests {

	@Test
	void declarationsAreOrderedByEventTypeAndFoundByIt() {
		DeclaredEventTypeCatalog catalog = DeclaredEventTypeCatalog.of(List.of(
				new EventTypeDeclaration("OrderShipped", String.class, "b"),
				new EventTypeDeclaration("OrderPlaced", Integer.class, "a")));

		assertThat(catalog.declarations()).extracting(EventTypeDeclaration::eventType)
			.containsExactly("OrderPlaced", "OrderShipped");
		assertThat(catalog.find("OrderPlaced")).contains(new EventTypeDeclaration("OrderPlaced", Integer.class, "a"));
		assertThat(catalog.find("OrderCancelled")).isEmpty();
	}

	@Test
	void sameEventTypeWithSamePayloadTypeKeepsTheFirstDeclaration() {
		DeclaredEventTypeCatalog catalog = DeclaredEventTypeCatalog.of(List.of(
				new EventTypeDeclaration("OrderPlaced", String.class, "first"),
				new EventTypeDeclaration("OrderPlaced", String.class, "second")));

		assertThat(catalog.declarations()).containsExactly(new EventTypeDeclaration("OrderPlaced", String.class, "first"));
	}

	@Test
	void sameEventTypeWithTwoPayloadTypesIsRejectedNamingEveryConflictAndBothDeclarations() {
		assertThatExceptionOfType(EventTypeDeclarationException.class).isThrownBy(() -> DeclaredEventTypeCatalog.of(List.of(
				new EventTypeDeclaration("OrderPlaced", String.class, "source A"),
				new EventTypeDeclaration("OrderShipped", String.class, "source C"),
				new EventTypeDeclaration("OrderPlaced", Map.class, "source B"),
				new EventTypeDeclaration("OrderShipped", Long.class, "source D"))))
			.withMessageContaining("event type 'OrderPlaced' has payload type java.lang.String in source A, but "
					+ "java.util.Map in source B")
			.withMessageContaining("event type 'OrderShipped' has payload type java.lang.String in source C, but "
					+ "java.lang.Long in source D")
			.withMessageContaining("Give one of the two a different event type");
	}

	@Test
	void noDeclarationsMakeAnEmptyCatalog() {
		assertThat(DeclaredEventTypeCatalog.of(List.of()).declarations()).isEmpty();
	}

}
