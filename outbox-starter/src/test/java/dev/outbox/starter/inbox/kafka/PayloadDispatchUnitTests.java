package dev.outbox.starter.inbox.kafka;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import dev.outbox.starter.contract.EventTypeCatalog;
import dev.outbox.starter.contract.EventTypeDeclaration;
import dev.outbox.starter.contract.catalog.DeclaredEventTypeCatalog;
import dev.outbox.starter.inbox.kafka.InboxListener.OtherEventTypes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The choice of the class a record is read into, by its event type, for a typed
 * {@link InboxListener @InboxListener} method; and the errors for what it cannot handle.
 */
class PayloadDispatchUnitTests {

	private static final String LISTENER = "@InboxListener method Listener.on";

	private static final String RECORD = "Record orders-0@7 (event id e-1)";

	private static final EventTypeCatalog CATALOG = DeclaredEventTypeCatalog.of(List.of(
			new EventTypeDeclaration("Placed", Placed.class, "test"),
			new EventTypeDeclaration("Paid", Paid.class, "test"),
			new EventTypeDeclaration("Noted", Note.class, "test")));

	private final JsonMapper mapper = JsonMapper.builder().build();

	@Test
	void byDefaultAMethodHandlesEveryCatalogEventTypeWhosePayloadTypeItsParameterCanHold() {
		PayloadDispatch dispatch = PayloadDispatch.of(LISTENER, OrderEvent.class, new String[0], CATALOG,
				OtherEventTypes.FAIL);

		assertThat(dispatch.targets()).containsExactly(entry("Paid", Paid.class), entry("Placed", Placed.class));
		assertThat(dispatch.targetOf("Paid", RECORD)).isEqualTo(Paid.class);
	}

	@Test
	void namedEventTypesAreReadIntoTheirCatalogPayloadTypeOrElseTheParameterType() {
		PayloadDispatch dispatch = PayloadDispatch.of(LISTENER, OrderEvent.class, new String[] { "Placed", "Legacy" },
				CATALOG, OtherEventTypes.FAIL);

		assertThat(dispatch.targets()).containsExactly(entry("Legacy", OrderEvent.class),
				entry("Placed", Placed.class));
	}

	@Test
	void anEventTypeTheMethodDoesNotHandleFailsNamingTheRecordTheTypesHandledAndTheFix() {
		PayloadDispatch dispatch = PayloadDispatch.of(LISTENER, Placed.class, new String[0], CATALOG,
				OtherEventTypes.FAIL);

		assertThatExceptionOfType(UnhandledEventTypeException.class).isThrownBy(() -> dispatch.targetOf("Paid", RECORD))
			.withMessageContaining(RECORD + " has event type 'Paid'")
			.withMessageContaining(LISTENER + " does not handle (it handles [Placed])")
			.withMessageContaining("@InboxListener(otherEventTypes = SKIP)");
		assertThatExceptionOfType(UnhandledEventTypeException.class).isThrownBy(() -> dispatch.targetOf(null, RECORD))
			.withMessageContaining(RECORD + " has no 'eventType' header");
	}

	@Test
	void withSkipOptedIntoAnEventTypeTheMethodDoesNotHandleIsSkipped() {
		PayloadDispatch dispatch = PayloadDispatch.of(LISTENER, Placed.class, new String[0], CATALOG,
				OtherEventTypes.SKIP);

		assertThat(dispatch.targetOf("Paid", RECORD)).isNull();
		assertThat(dispatch.targetOf(null, RECORD)).isNull();
		assertThat(dispatch.targetOf("Placed", RECORD)).isEqualTo(Placed.class);
	}

	@Test
	void aParameterTypeNoCatalogEventTypeHasFailsNamingTheCatalogAndTheFix() {
		assertThatIllegalStateException()
			.isThrownBy(() -> PayloadDispatch.of(LISTENER, Unknown.class, new String[0], CATALOG, OtherEventTypes.FAIL))
			.withMessageContaining(LISTENER + " takes a payload of type " + Unknown.class.getName())
			.withMessageContaining("no event type of the application's catalog [Noted, Paid, Placed]")
			.withMessageContaining("@InboxListener(eventTypes = {...})");
		assertThatIllegalStateException()
			.isThrownBy(() -> PayloadDispatch.of(LISTENER, Placed.class, new String[0], null, OtherEventTypes.FAIL))
			.withMessageContaining("the application has no event type catalog");
	}

	@Test
	void aNamedEventTypeWhoseCatalogPayloadTypeTheParameterCannotHoldFails() {
		assertThatIllegalStateException()
			.isThrownBy(() -> PayloadDispatch.of(LISTENER, OrderEvent.class, new String[] { "Noted" }, CATALOG,
					OtherEventTypes.FAIL))
			.withMessageContaining("handles event type 'Noted', declared with payload type " + Note.class.getName())
			.withMessageContaining("take Note or a supertype");
	}

	@Test
	void aValueIsReadIntoTheChosenClassFromTextOrBytes() {
		String json = "{\"orderId\":\"o-1\",\"total\":12.5}";

		assertThat(PayloadDispatch.read(this.mapper, json, Placed.class, "Placed", RECORD))
			.isEqualTo(new Placed("o-1", 12.5));
		assertThat(PayloadDispatch.read(this.mapper, json.getBytes(StandardCharsets.UTF_8), Placed.class, "Placed",
				RECORD))
			.isEqualTo(new Placed("o-1", 12.5));
	}

	@Test
	void aValueThatCannotBeReadFailsNamingTheEventIdTypeAndTargetClass() {
		assertThatExceptionOfType(EventPayloadException.class)
			.isThrownBy(() -> PayloadDispatch.read(this.mapper, "{\"orderId\":\"o-1\",\"total\":\"many\"}",
					Placed.class, "Placed", RECORD))
			.withMessageStartingWith(RECORD + " of event type 'Placed' cannot be read into " + Placed.class.getName())
			.withCauseInstanceOf(tools.jackson.core.JacksonException.class);
		assertThatExceptionOfType(EventPayloadException.class)
			.isThrownBy(() -> PayloadDispatch.read(this.mapper, null, Placed.class, "Placed", RECORD))
			.withMessageEndingWith("the record has no value");
		assertThatExceptionOfType(EventPayloadException.class)
			.isThrownBy(() -> PayloadDispatch.read(this.mapper, "null", Placed.class, "Placed", RECORD))
			.withMessageEndingWith("the value is JSON null");
		assertThatExceptionOfType(EventPayloadException.class)
			.isThrownBy(() -> PayloadDispatch.read(this.mapper, 42L, Placed.class, "Placed", RECORD))
			.withMessageContaining("the value is a java.lang.Long, not JSON text");
	}

	private static java.util.Map.Entry<String, Class<?>> entry(String eventType, Class<?> type) {
		return java.util.Map.entry(eventType, type);
	}

	sealed interface OrderEvent permits Placed, Paid {

	}

	record Placed(String orderId, double total) implements OrderEvent {
	}

	record Paid(String orderId) implements OrderEvent {
	}

	record Note(String text) {
	}

	record Unknown(String text) {
	}

}
