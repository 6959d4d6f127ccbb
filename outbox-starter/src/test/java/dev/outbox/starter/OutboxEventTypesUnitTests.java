package dev.outbox.starter;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class OutboxEventTypesUnitTests {

	@Test
	void declaresEventTypesInDeclarationOrder() {
		OutboxEventTypes eventTypes = OutboxEventTypes
			.of((types) -> types.declare("OrderShipped", String.class).declare("OrderPlaced", Map.class));

		assertThat(eventTypes.eventTypes()).containsExactly(Map.entry("OrderShipped", String.class),
				Map.entry("OrderPlaced", Map.class));
	}

	@Test
	void declaringTheSameTypeAgainWithTheSamePayloadTypeIsHarmless() {
		assertThat(OutboxEventTypes
			.of((types) -> types.declare("OrderPlaced", String.class).declare("OrderPlaced", String.class))
			.eventTypes()).containsExactly(Map.entry("OrderPlaced", String.class));
	}

	@Test
	void sameTypeWithAnotherPayloadTypeIsRejectedNamingBoth() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> OutboxEventTypes
				.of((types) -> types.declare("OrderPlaced", String.class).declare("OrderPlaced", Long.class)))
			.withMessage("OutboxEventTypes: event type 'OrderPlaced' is declared twice, with payload types "
					+ "java.lang.String and java.lang.Long; an event type has one payload type");
	}

	@Test
	void blankOrTooLongEventTypeIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> OutboxEventTypes.of((types) -> types.declare(" ", String.class)))
			.withMessageContaining("the event type must be 1 to 255 characters and not blank, but is ' '");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> OutboxEventTypes.of((types) -> types.declare("x".repeat(256), String.class)))
			.withMessageContaining("1 to 255 characters");
	}

	@Test
	void voidPayloadTypeIsRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> OutboxEventTypes.of((types) -> types.declare("OrderPlaced", void.class)))
			.withMessageContaining("event type 'OrderPlaced' needs the Java type of its payload");
	}

}
