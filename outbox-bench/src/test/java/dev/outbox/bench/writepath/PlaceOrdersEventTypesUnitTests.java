package dev.outbox.bench.writepath;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;

import dev.outbox.starter.contract.EventTypeCatalog;
import dev.outbox.starter.contract.EventTypeDeclaration;
import dev.outbox.starter.contract.catalog.ApplicationEventTypeCatalog;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The write-path benchmark publishes only event types its {@code @OutboxEvent} methods
 * declare, so the starter's check on undeclared event types (on by default) lets it run: each
 * of the eleven event types is declared with the returned {@link OrderPlaced} as payload type.
 * Read from the bean definition alone, without a database.
 */
class PlaceOrdersEventTypesUnitTests {

	@Test
	void everyEventTypeOfPlaceOrdersIsDeclaredWithOrderPlacedAsPayload() {
		try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
			context.registerBean(PlaceOrders.class, (definition) -> definition.setLazyInit(true));
			context.registerBean(ApplicationEventTypeCatalog.class, () -> new ApplicationEventTypeCatalog(true));
			context.refresh();

			List<String> expected = new ArrayList<>(List.of("OrderPlaced"));
			for (int i = 1; i <= 10; i++) {
				expected.add("OrderPlaced." + i);
			}
			assertThat(context.getBean(EventTypeCatalog.class).declarations())
				.allSatisfy((declaration) -> assertThat(declaration.payloadType()).isEqualTo(OrderPlaced.class))
				.extracting(EventTypeDeclaration::eventType)
				.containsExactlyInAnyOrderElementsOf(expected);
		}
	}

}
