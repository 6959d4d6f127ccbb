package dev.outbox.starter.contract.catalog;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

import dev.outbox.starter.InvalidOutboxEventException;
import dev.outbox.starter.LogicalSlot;
import dev.outbox.starter.LogicalSlot.Change;
import dev.outbox.starter.Outbox;
import dev.outbox.starter.OutboxDomainEvent;
import dev.outbox.starter.OutboxEvent;
import dev.outbox.starter.OutboxEventTypes;
import dev.outbox.starter.autoconfigure.OutboxAutoConfiguration;
import dev.outbox.starter.contract.EventTypeCatalog;
import dev.outbox.starter.contract.EventTypeDeclaration;
import dev.outbox.starter.contract.catalog.app.ParcelDelivered;
import dev.outbox.starter.contract.catalog.app.ParcelReturned;
import dev.outbox.starter.contract.catalog.app.ScannedApplication;
import dev.outbox.testsupport.PostgresTest;
import dev.outbox.testsupport.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The auto-configured {@link EventTypeCatalog}: each source of declarations is found at
 * startup, invalid declarations fail startup with a message naming them and the fix, and
 * the {@link Outbox} refuses undeclared event types unless
 * {@code outbox.contract.require-declared-event-types=false}.
 */
@PostgresTest
class EventTypeCatalogIntegrationTests {

	private final TestDatabase database;

	private final ApplicationContextRunner contextRunner;

	EventTypeCatalogIntegrationTests(TestDatabase database) {
		this.database = database;
		this.contextRunner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(OutboxAutoConfiguration.class, TransactionAutoConfiguration.class,
					DataSourceTransactionManagerAutoConfiguration.class))
			.withBean(DataSource.class, database::dataSource)
			.withPropertyValues("outbox.flyway.enabled=true");
	}

	@Test
	void outboxEventMethodDeclaresItsEventTypeWithTheReturnTypeAsPayloadType() {
		this.contextRunner.withBean(ShippingService.class).run((context) -> {
			EventTypeDeclaration declaration = catalog(context).find("ParcelShipped").orElseThrow();
			assertThat(declaration.payloadType()).isEqualTo(Shipment.class);
			assertThat(declaration.declaredBy())
				.isEqualTo("@OutboxEvent(eventType = \"ParcelShipped\") on " + ShippingService.class.getName() + ".ship(..)");
		});
	}

	@Test
	void payloadTypeAttributeDeclaresThePayloadTypeOfAnotherPayloadExpression() {
		this.contextRunner.withBean(ShippingService.class).run((context) -> {
			assertThat(catalog(context).find("ParcelLabelled").orElseThrow().payloadType()).isEqualTo(String.class);
			assertThat(catalog(context).declarations()).extracting(EventTypeDeclaration::eventType)
				.containsExactly("ParcelLabelled", "ParcelShipped");
		});
	}

	@Test
	void domainEventClassesInTheApplicationsPackageAreDeclaredByTheirSimpleNames() {
		this.contextRunner.withUserConfiguration(ScannedApplication.class).run((context) -> {
			assertThat(catalog(context).declarations()).extracting(EventTypeDeclaration::eventType,
					EventTypeDeclaration::payloadType)
				.containsExactly(org.assertj.core.groups.Tuple.tuple("ParcelDelivered", ParcelDelivered.class),
						org.assertj.core.groups.Tuple.tuple("ParcelReturned", ParcelReturned.class));
			assertThat(catalog(context).find("ParcelDelivered").orElseThrow().declaredBy())
				.isEqualTo("OutboxDomainEvent class " + ParcelDelivered.class.getName());
			// ParcelLost overrides eventType(), ParcelEvent is abstract, and Outside is in
			// another package: none is declared.
			assertThat(catalog(context).find("parcel.lost")).isEmpty();
			assertThat(catalog(context).find("ParcelLost")).isEmpty();
			assertThat(catalog(context).find("ParcelEvent")).isEmpty();
			assertThat(catalog(context).find("Outside")).isEmpty();
		});
	}

	@Test
	void withoutAnAutoConfigurationPackageNoDomainEventClassIsScanned() {
		this.contextRunner.run((context) -> assertThat(catalog(context).declarations()).isEmpty());
	}

	@Test
	void scannedDomainEventIsPublishedThroughTheApplicationEventPublisher() throws SQLException {
		try (LogicalSlot slot = LogicalSlot.create(this.database)) {
			this.contextRunner.withUserConfiguration(ScannedApplication.class)
				.run((context) -> transaction(context)
					.executeWithoutResult((status) -> context.publishEvent(new ParcelDelivered("p-1", "Ada"))));

			assertThat(eventInserts(slot)).extracting((change) -> change.column("event_type"))
				.containsExactly("ParcelDelivered");
		}
	}

	@Test
	void outboxEventTypesBeanDeclaresItsEventTypes() {
		this.contextRunner.withBean("parcelEventTypes", OutboxEventTypes.class, ShippingService::eventTypes)
			.run((context) -> {
				EventTypeDeclaration declaration = catalog(context).find("ParcelRerouted").orElseThrow();
				assertThat(declaration.payloadType()).isEqualTo(Reroute.class);
				assertThat(declaration.declaredBy()).isEqualTo("OutboxEventTypes bean 'parcelEventTypes'");
			});
	}

	@Test
	void sameEventTypeWithTheSamePayloadTypeFromTwoSourcesIsOneDeclaration() {
		this.contextRunner.withBean(ShippingService.class)
			.withBean(OutboxEventTypes.class,
					() -> OutboxEventTypes.of((types) -> types.declare("ParcelShipped", Shipment.class)))
			.run((context) -> assertThat(catalog(context).declarations()).extracting(EventTypeDeclaration::eventType)
				.containsExactly("ParcelLabelled", "ParcelShipped"));
	}

	@Test
	void oneEventTypeWithTwoPayloadTypesFailsStartupNamingBothDeclarations() {
		this.contextRunner.withBean(ShippingService.class)
			.withBean("legacyEventTypes", OutboxEventTypes.class,
					() -> OutboxEventTypes.of((types) -> types.declare("ParcelShipped", Map.class)))
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).isInstanceOf(EventTypeDeclarationException.class)
					.hasMessageContaining("Conflicting event type declarations")
					.hasMessageContaining("event type 'ParcelShipped' has payload type " + Shipment.class.getName()
							+ " in @OutboxEvent(eventType = \"ParcelShipped\") on " + ShippingService.class.getName()
							+ ".ship(..), but java.util.Map in OutboxEventTypes bean 'legacyEventTypes'");
			});
	}

	@Test
	void payloadExpressionWithoutPayloadTypeFailsStartupNamingTheMethodAndTheFix() {
		this.contextRunner.withBean(UntypedPayloadService.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).isInstanceOf(EventTypeDeclarationException.class)
				.hasMessageContaining("@OutboxEvent(eventType = \"ParcelWeighed\") on "
						+ UntypedPayloadService.class.getName() + ".weigh(..) has the payload expression "
						+ "'{ grams: #grams }', whose type is not known before it runs: set payloadType")
				.hasMessageContaining("outbox.contract.require-declared-event-types=false");
		});
	}

	@Test
	void voidMethodWithTheDefaultPayloadFailsStartupNamingTheMethod() {
		this.contextRunner.withBean(VoidService.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).isInstanceOf(EventTypeDeclarationException.class)
				.hasMessageContaining("@OutboxEvent(eventType = \"ParcelScanned\") on " + VoidService.class.getName()
						+ ".scan(..) returns void, so the default payload '#result' is null");
		});
	}

	@Test
	void undeclaredEventTypeIsRefusedAndNothingIsWritten() throws SQLException {
		try (LogicalSlot slot = LogicalSlot.create(this.database)) {
			this.contextRunner.withBean(ShippingService.class)
				.run((context) -> assertThatExceptionOfType(InvalidOutboxEventException.class)
					.isThrownBy(() -> transaction(context).executeWithoutResult((status) -> {
						context.getBean(ShippingService.class).ship("p-2");
						context.getBean(Outbox.class).publish("Parcel", "p-2", "ParcelWeighed", Map.of("grams", 5));
					}))
					.withMessageStartingWith("eventType 'ParcelWeighed' is not declared (aggregateType 'Parcel', "
							+ "aggregateId 'p-2', eventType 'ParcelWeighed'). Declare it with its payload type: a bean "
							+ "OutboxEventTypes.of((types) -> types.declare(\"ParcelWeighed\", YourPayload.class))")
					.withMessageEndingWith("Declared event types: [ParcelLabelled, ParcelShipped]"));

			assertThat(eventInserts(slot)).isEmpty();
		}
	}

	@Test
	void withRequireDeclaredEventTypesOffUndeclaredTypesArePublishedAndUntypedPayloadsAreLeftUndeclared()
			throws SQLException {
		try (LogicalSlot slot = LogicalSlot.create(this.database)) {
			this.contextRunner.withPropertyValues("outbox.contract.require-declared-event-types=false")
				.withBean(UntypedPayloadService.class)
				.run((context) -> {
					assertThat(context).hasNotFailed();
					assertThat(catalog(context).declarations()).isEmpty();
					transaction(context).executeWithoutResult((status) -> {
						context.getBean(UntypedPayloadService.class).weigh("p-3", 120);
						context.getBean(Outbox.class).publish("Parcel", "p-3", "ParcelMislaid", Map.of());
					});
				});

			assertThat(eventInserts(slot)).extracting((change) -> change.column("event_type"))
				.containsExactly("ParcelWeighed", "ParcelMislaid");
		}
	}

	@Test
	void userEventTypeCatalogReplacesTheCollectedOneAndTheOutboxRequiresItsTypes() {
		EventTypeCatalog userCatalog = DeclaredEventTypeCatalog
			.of(List.of(new EventTypeDeclaration("ParcelRerouted", Reroute.class, "a test")));
		this.contextRunner.withBean(EventTypeCatalog.class, () -> userCatalog)
			.withBean(ShippingService.class)
			.run((context) -> {
				assertThat(context).getBean(EventTypeCatalog.class).isSameAs(userCatalog);
				assertThatExceptionOfType(InvalidOutboxEventException.class)
					.isThrownBy(() -> transaction(context)
						.executeWithoutResult((status) -> context.getBean(ShippingService.class).ship("p-4")))
					.withMessageContaining("eventType 'ParcelShipped' is not declared");
			});
	}

	private static EventTypeCatalog catalog(ApplicationContext context) {
		return context.getBean(EventTypeCatalog.class);
	}

	private static TransactionTemplate transaction(ApplicationContext context) {
		return new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
	}

	private static List<Change> eventInserts(LogicalSlot slot) throws SQLException {
		return slot.take().stream().filter((change) -> change.summary().equals("INSERT public.outbox_event")).toList();
	}

	/**
	 * A payload.
	 *
	 * @param parcelId the parcel id
	 */
	record Shipment(String parcelId) {
	}

	/**
	 * A payload.
	 *
	 * @param parcelId the parcel id
	 * @param depot the new depot
	 */
	record Reroute(String parcelId, String depot) {
	}

	/**
	 * A domain event outside the application's package: not scanned.
	 *
	 * @param id the id
	 */
	record Outside(String id) implements OutboxDomainEvent {

		@Override
		public String aggregateType() {
			return "Parcel";
		}

		@Override
		public String aggregateId() {
			return this.id;
		}

	}

	/**
	 * Declares with the return type and with {@code payloadType}.
	 */
	static class ShippingService {

		static OutboxEventTypes eventTypes() {
			return OutboxEventTypes.of((types) -> types.declare("ParcelRerouted", Reroute.class));
		}

		@Transactional
		@OutboxEvent(aggregateType = "Parcel", aggregateId = "#result.parcelId", eventType = "ParcelShipped")
		public Shipment ship(String parcelId) {
			return new Shipment(parcelId);
		}

		@Transactional
		@OutboxEvent(aggregateType = "Parcel", aggregateId = "#parcelId", eventType = "ParcelLabelled",
				payload = "#text", payloadType = String.class)
		public void label(String parcelId, String text) {
		}

	}

	/**
	 * A payload expression without {@code payloadType}.
	 */
	static class UntypedPayloadService {

		@Transactional
		@OutboxEvent(aggregateType = "Parcel", aggregateId = "#parcelId", eventType = "ParcelWeighed",
				payload = "{ grams: #grams }")
		public void weigh(String parcelId, int grams) {
		}

	}

	/**
	 * A method returning nothing, with the default payload {@code #result}.
	 */
	static class VoidService {

		@Transactional
		@OutboxEvent(aggregateType = "Parcel", aggregateId = "#parcelId", eventType = "ParcelScanned")
		public void scan(String parcelId) {
		}

	}

}
