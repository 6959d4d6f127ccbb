package dev.outbox.starter.inbox.kafka;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import dev.outbox.starter.contract.EventTypeCatalog;
import dev.outbox.starter.contract.EventTypeDeclaration;
import dev.outbox.starter.contract.catalog.DeclaredEventTypeCatalog;
import dev.outbox.starter.inbox.kafka.InboxListener.OtherEventTypes;
import dev.outbox.starter.inbox.kafka.PayloadDispatch.PayloadVersion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The choice of the class a record is read into, by its event type and schema version, for a
 * typed {@link InboxListener @InboxListener} method; and the errors for what it cannot handle.
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
		assertThat(dispatch.targetOf("Paid", null, RECORD)).isEqualTo(Paid.class);
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

		assertThatExceptionOfType(UnhandledEventTypeException.class)
			.isThrownBy(() -> dispatch.targetOf("Paid", null, RECORD))
			.withMessageContaining(RECORD + " has event type 'Paid'")
			.withMessageContaining(LISTENER + " does not handle (it handles [Placed])")
			.withMessageContaining("@InboxListener(otherEventTypes = SKIP)");
		assertThatExceptionOfType(UnhandledEventTypeException.class)
			.isThrownBy(() -> dispatch.targetOf(null, null, RECORD))
			.withMessageContaining(RECORD + " has no 'eventType' header");
	}

	@Test
	void withSkipOptedIntoAnEventTypeTheMethodDoesNotHandleIsSkipped() {
		PayloadDispatch dispatch = PayloadDispatch.of(LISTENER, Placed.class, new String[0], CATALOG,
				OtherEventTypes.SKIP);

		assertThat(dispatch.targetOf("Paid", null, RECORD)).isNull();
		assertThat(dispatch.targetOf(null, null, RECORD)).isNull();
		assertThat(dispatch.targetOf("Placed", null, RECORD)).isEqualTo(Placed.class);
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
	void aRecordOfABoundSchemaVersionIsReadIntoItsClassAndAnyOtherVersionIntoTheDefault() {
		PayloadDispatch dispatch = PayloadDispatch.of(LISTENER, OrderEvent.class, new String[0], CATALOG,
				OtherEventTypes.FAIL)
			.withVersions(List.of(new PayloadVersion("Placed", 1, PlacedV1.class),
					new PayloadVersion("Placed", 2, PlacedV2.class)));

		assertThat(dispatch.targetOf("Placed", "1", RECORD)).isEqualTo(PlacedV1.class);
		assertThat(dispatch.targetOf("Placed", "2", RECORD)).isEqualTo(PlacedV2.class);
		assertThat(dispatch.targetOf("Placed", "3", RECORD)).isEqualTo(Placed.class);
		// no schemaVersion header: a plain-SQL writer's event, read into the default
		assertThat(dispatch.targetOf("Placed", null, RECORD)).isEqualTo(Placed.class);
		// bindings are per event type
		assertThat(dispatch.targetOf("Paid", "1", RECORD)).isEqualTo(Paid.class);
	}

	@Test
	void aSchemaVersionHeaderThatIsNotAVersionFailsWhereVersionsAreBound() {
		PayloadDispatch dispatch = PayloadDispatch.of(LISTENER, OrderEvent.class, new String[0], CATALOG,
				OtherEventTypes.FAIL)
			.withVersions(List.of(new PayloadVersion("Placed", 1, PlacedV1.class)));

		assertThatExceptionOfType(EventPayloadException.class)
			.isThrownBy(() -> dispatch.targetOf("Placed", "v1", RECORD))
			.withMessageContaining(RECORD + " of event type 'Placed' has schemaVersion header 'v1'")
			.withMessageContaining("not a version number");
		assertThat(dispatch.targetOf("Paid", "v1", RECORD)).isEqualTo(Paid.class);
	}

	@Test
	void aBoundClassTheParameterCannotHoldFailsNamingListenerEventTypeVersionAndClass() {
		PayloadDispatch dispatch = PayloadDispatch.of(LISTENER, OrderEvent.class, new String[0], CATALOG,
				OtherEventTypes.FAIL);

		assertThatIllegalStateException()
			.isThrownBy(() -> dispatch.withVersions(List.of(new PayloadVersion("Placed", 1, Note.class))))
			.withMessageContaining(LISTENER + " binds version 1 of event type 'Placed' to " + Note.class.getName())
			.withMessageContaining("its payload parameter of type " + OrderEvent.class.getName() + " cannot hold");
	}

	@Test
	void aVersionBoundTwiceFailsNamingBothClasses() {
		PayloadDispatch dispatch = PayloadDispatch.of(LISTENER, OrderEvent.class, new String[0], CATALOG,
				OtherEventTypes.FAIL);

		assertThatIllegalStateException()
			.isThrownBy(() -> dispatch.withVersions(List.of(new PayloadVersion("Placed", 1, PlacedV1.class),
					new PayloadVersion("Placed", 1, PlacedV2.class))))
			.withMessageContaining(LISTENER + " binds version 1 of event type 'Placed' twice")
			.withMessageContaining(PlacedV1.class.getName())
			.withMessageContaining(PlacedV2.class.getName());
	}

	@Test
	void aBindingOfAnEventTypeNotHandledOrOfNoVersionFails() {
		PayloadDispatch dispatch = PayloadDispatch.of(LISTENER, OrderEvent.class, new String[0], CATALOG,
				OtherEventTypes.FAIL);

		assertThatIllegalStateException()
			.isThrownBy(() -> dispatch.withVersions(List.of(new PayloadVersion("Refunded", 1, PlacedV1.class))))
			.withMessageContaining("binds version 1 of event type 'Refunded'")
			.withMessageContaining("does not handle (it handles [Paid, Placed])");
		assertThatIllegalStateException()
			.isThrownBy(() -> dispatch.withVersions(List.of(new PayloadVersion("Placed", 0, PlacedV1.class))))
			.withMessageContaining("binds version 0 of event type 'Placed'")
			.withMessageContaining("versions count from 1");
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

	sealed interface OrderEvent permits Placed, PlacedV1, PlacedV2, Paid {

	}

	record Placed(String orderId, double total) implements OrderEvent {
	}

	record PlacedV1(String orderId, String amount) implements OrderEvent {
	}

	record PlacedV2(String orderId, long totalCents) implements OrderEvent {
	}

	record Paid(String orderId) implements OrderEvent {
	}

	record Note(String text) {
	}

	record Unknown(String text) {
	}

}
