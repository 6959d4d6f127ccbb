package dev.outbox.starter.contract;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.tuple;

/**
 * {@link EventContractVerifier}: the CI check of the current schemas against the versions
 * committed in a folder, with schemas generated from record versions of two event types.
 */
class EventContractVerifierUnitTests {

	record OrderPlaced(String orderId, BigDecimal total) {
	}

	record OrderPlacedWithCoupon(String orderId, BigDecimal total, @Nullable String coupon) {
	}

	record OrderPlacedRenamed(String id, BigDecimal total) {
	}

	record OrderCancelled(String orderId, String reason) {
	}

	private final PayloadSchemaGenerator generator = new PayloadSchemaGenerator(JsonMapper.builder().build());

	@TempDir
	Path folder;

	@Test
	void eventTypeWithoutCommittedSchemaFailsNamingTheFileToCommit() {
		EventContractVerifier verifier = verifier(Map.of("OrderPlaced", OrderPlaced.class));
		assertThatExceptionOfType(AssertionError.class).isThrownBy(verifier::verify)
			.withMessageContaining("OrderPlaced: no committed schema yet; commit it as version 1 ("
					+ this.folder.resolve("OrderPlaced").resolve("v1.json") + ")")
			.withMessageContaining("-Doutbox.contract.write-schemas=true");
		assertThat(this.folder.resolve("OrderPlaced")).doesNotExist();
	}

	@Test
	void writingNewVersionsWritesTheFirstVersionAsIndentedJsonAndTheNextCheckPasses() throws IOException {
		EventContractVerifier verifier = verifier(Map.of("OrderPlaced", OrderPlaced.class));
		EventContractReport written = verifier.writeNewVersions().verify();
		assertThat(written.outcomes()).singleElement()
			.satisfies((outcome) -> assertThat(outcome.status()).isEqualTo(EventContractReport.Status.WRITTEN));
		Path file = this.folder.resolve("OrderPlaced/v1.json");
		String text = Files.readString(file, StandardCharsets.UTF_8);
		assertThat(text).startsWith("{" + System.lineSeparator() + "  \"$schema\"").endsWith("}\n");
		assertThat(JsonMapper.builder().build().readTree(text)).isEqualTo(this.generator.schemaOf(OrderPlaced.class));
		EventContractReport report = verifier.verify();
		assertThat(report.passed()).isTrue();
		assertThat(report.outcomes()).singleElement().satisfies((outcome) -> {
			assertThat(outcome.status()).isEqualTo(EventContractReport.Status.MATCHES);
			assertThat(outcome.version()).isEqualTo(1);
		});
	}

	@Test
	void compatibleChangeFailsAskingForTheNextVersionUntilItIsWritten() {
		commit("OrderPlaced", 1, OrderPlaced.class);
		EventContractVerifier verifier = verifier(Map.of("OrderPlaced", OrderPlacedWithCoupon.class));
		assertThatExceptionOfType(AssertionError.class).isThrownBy(verifier::verify)
			.withMessageContaining("OrderPlaced: schema changed compatibly (FORWARD) since version 1; commit it as "
					+ "version 2 (" + this.folder.resolve("OrderPlaced").resolve("v2.json") + ")");
		verifier.writeNewVersions().verify();
		assertThat(read("OrderPlaced", 2)).isEqualTo(this.generator.schemaOf(OrderPlacedWithCoupon.class));
		assertThat(verifier.verify().outcomes()).singleElement()
			.satisfies((outcome) -> assertThat(outcome.version()).isEqualTo(2));
	}

	@Test
	void writingIsAlsoRequestedByTheSystemProperty() {
		EventContractVerifier verifier = verifier(Map.of("OrderPlaced", OrderPlaced.class));
		System.setProperty(EventContractVerifier.WRITE_SCHEMAS_PROPERTY, "true");
		try {
			verifier.verify();
		}
		finally {
			System.clearProperty(EventContractVerifier.WRITE_SCHEMAS_PROPERTY);
		}
		assertThat(this.folder.resolve("OrderPlaced/v1.json")).exists();
	}

	@Test
	void breakingChangeFailsNamingTheEventTypeVersionsPropertyAndRuleAndWritesNothing() {
		commit("OrderPlaced", 1, OrderPlaced.class);
		commit("OrderPlaced", 2, OrderPlacedWithCoupon.class);
		commit("OrderCancelled", 1, OrderCancelled.class);
		EventContractVerifier verifier = verifier(
				Map.of("OrderPlaced", OrderPlacedRenamed.class, "OrderCancelled", OrderCancelled.class))
			.writeNewVersions();
		assertThatExceptionOfType(AssertionError.class).isThrownBy(verifier::verify)
			.withMessageContaining("failed for 1 of 2 event type(s)")
			.withMessageContaining("OrderPlaced: the current schema breaks FORWARD compatibility with committed "
					+ "version(s) 2")
			.withMessageContaining("it would be version 3")
			.withMessageContaining("version 2 -> new, orderId: PROPERTY_RENAMED: required by consumers on the earlier "
					+ "version but no longer written; 'id' with the identical schema is written instead")
			.withMessageContaining("version 2 -> new, coupon: REQUIRED_PROPERTY_REMOVED")
			.withMessageNotContaining("OrderCancelled");
		assertThat(this.folder.resolve("OrderPlaced/v3.json")).doesNotExist();
	}

	@Test
	void schemaIdenticalToAnEarlierVersionPassesAsARollback() {
		commit("OrderPlaced", 1, OrderPlaced.class);
		commit("OrderPlaced", 2, OrderPlacedWithCoupon.class);
		EventContractReport report = verifier(Map.of("OrderPlaced", OrderPlaced.class)).verify();
		assertThat(report.outcomes()).singleElement().satisfies((outcome) -> {
			assertThat(outcome.status()).isEqualTo(EventContractReport.Status.MATCHES);
			assertThat(outcome.version()).isEqualTo(1);
		});
		assertThat(report.toString()).contains("OrderPlaced: identical to committed version 1");
	}

	@Test
	void compatibilityModeAndPerEventTypeOverridesDecideWhatBreaks() {
		commit("OrderPlaced", 1, OrderPlaced.class);
		commit("OrderCancelled", 1, OrderCancelled.class);
		EventContractVerifier verifier = verifier(
				Map.of("OrderPlaced", OrderPlacedRenamed.class, "OrderCancelled", OrderPlacedRenamed.class));
		EventContractReport report = verifier.withCompatibility(CompatibilityMode.NONE)
			.withCompatibility("OrderCancelled", CompatibilityMode.BACKWARD)
			.check();
		assertThat(report.outcomes()).extracting(EventContractReport.Outcome::eventType,
				EventContractReport.Outcome::status, EventContractReport.Outcome::mode)
			.containsExactly(
					tuple("OrderCancelled", EventContractReport.Status.INCOMPATIBLE,
							CompatibilityMode.BACKWARD),
					tuple("OrderPlaced", EventContractReport.Status.NOT_COMMITTED,
							CompatibilityMode.NONE));
		assertThat(report.outcomes().get(0).violations()).extracting(CompatibilityViolation::rule)
			.contains(CompatibilityRule.REQUIRED_PROPERTY_ADDED);
	}

	@Test
	void misnamedOrInvalidCommittedFileIsRefusedNamingIt() throws IOException {
		EventContractVerifier verifier = verifier(Map.of("OrderPlaced", OrderPlaced.class));
		Path typeFolder = Files.createDirectories(this.folder.resolve("OrderPlaced"));
		Files.writeString(typeFolder.resolve("README.md"), "notes are ignored");
		Files.writeString(typeFolder.resolve("order-placed.json"), "{}");
		assertThatIllegalArgumentException().isThrownBy(verifier::check)
			.withMessageContaining("Committed schema file " + typeFolder.resolve("order-placed.json")
					+ " is not named v<N>.json");
		Files.delete(typeFolder.resolve("order-placed.json"));
		Files.writeString(typeFolder.resolve("v1.json"), "{ \"type\": ");
		assertThatIllegalArgumentException().isThrownBy(verifier::check)
			.withMessageContaining("Committed schema file " + typeFolder.resolve("v1.json") + " is not valid JSON");
		Files.writeString(typeFolder.resolve("v1.json"), "{ \"type\": \"object\", \"oneOf\": [] }");
		assertThatIllegalArgumentException().isThrownBy(verifier::check)
			.withMessageContaining("Event type 'OrderPlaced' (committed schemas in " + typeFolder + ")")
			.withMessageContaining("keyword 'oneOf' is not supported");
	}

	@Test
	void eventTypeThatCannotNameAFolderIsRefused() {
		EventContractVerifier verifier = verifier(Map.of("orders/placed", OrderPlaced.class));
		assertThatIllegalArgumentException().isThrownBy(verifier::check)
			.withMessageContaining("Event type 'orders/placed' cannot name a folder under " + this.folder);
	}

	@Test
	void defaultFolderIsTheDocumentedResourcesFolder() {
		EventContractReport report = EventContractVerifier.of(TreeMap::new).check();
		assertThat(report.folder()).isEqualTo(Path.of("src/main/resources/META-INF/outbox/schemas"));
		assertThat(report.passed()).isTrue();
	}

	private EventContractVerifier verifier(Map<String, Class<?>> payloadTypes) {
		return EventContractVerifier.of(() -> {
			SortedMap<String, JsonNode> schemas = new TreeMap<>();
			payloadTypes.forEach((eventType, type) -> schemas.put(eventType, this.generator.schemaOf(type)));
			return schemas;
		}).withFolder(this.folder);
	}

	private void commit(String eventType, int version, Class<?> payloadType) {
		try {
			Path typeFolder = Files.createDirectories(this.folder.resolve(eventType));
			Files.writeString(typeFolder.resolve("v" + version + ".json"),
					JsonMapper.builder().build().writeValueAsString(this.generator.schemaOf(payloadType)));
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private JsonNode read(String eventType, int version) {
		try {
			return JsonMapper.builder().build()
				.readTree(Files.readString(this.folder.resolve(eventType).resolve("v" + version + ".json")));
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
