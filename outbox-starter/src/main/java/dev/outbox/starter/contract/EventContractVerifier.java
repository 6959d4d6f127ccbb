package dev.outbox.starter.contract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The event contract's check for a team's CI, without a database: it
 * compares the current schema of every event type with the versions committed in a folder of
 * the repository, under the same rules the registry applies at startup
 * ({@link SchemaCompatibility}), so a breaking change fails the build before it is deployed.
 * <p>
 * The folder holds one file per event type and version, {@code <folder>/<eventType>/v<N>.json}
 * (for example {@code OrderPlaced/v1.json}); the default folder is
 * {@value #DEFAULT_FOLDER}, relative to the working directory, which is the module's
 * directory when Maven or Gradle runs the tests, so the committed schemas also ship in the
 * service's jar. Per event type, the current schema is:
 * <ul>
 * <li><b>identical</b> to a committed version (the last one, or an earlier one after a
 * rollback): passes;</li>
 * <li><b>compatible</b> with the committed versions under the event type's
 * {@link CompatibilityMode}, or the event type has no committed version yet: fails, asking
 * for the next version to be committed, unless writing is requested, in which case the next
 * version, {@code v<N+1>.json}, is written and the check passes (commit the file);</li>
 * <li><b>incompatible</b>: fails, naming the event type, the versions compared, and each
 * offending property path with the rule it breaks ({@link CompatibilityViolation}); nothing
 * is written, even when writing is requested.</li>
 * </ul>
 * Writing is requested with {@link #writeNewVersions()} or with the system property
 * {@value #WRITE_SCHEMAS_PROPERTY}{@code =true} (for example
 * {@code ./mvnw test -Dtest=EventContractTests -Doutbox.contract.write-schemas=true}).
 * Committed files of event types the application no longer publishes are left alone.
 * <p>
 * Instances are immutable; each {@code with...} method returns a copy.
 *
 * <pre>{@code
 * @Test
 * void eventContractHoldsAgainstTheCommittedSchemas() {
 *     PayloadSchemaGenerator generator = new PayloadSchemaGenerator(jsonMapper);
 *     EventContractVerifier.of(generator.schemaSource(catalog)).verify();
 * }
 * }</pre>
 */
public final class EventContractVerifier {

	/** The folder of the committed schemas unless {@link #withFolder(Path)} names another. */
	public static final String DEFAULT_FOLDER = "src/main/resources/META-INF/outbox/schemas";

	/** The system property that, set to {@code true}, requests writing new versions. */
	public static final String WRITE_SCHEMAS_PROPERTY = "outbox.contract.write-schemas";

	private static final Pattern VERSION_FILE = Pattern.compile("v([1-9][0-9]{0,8})\\.json");

	private static final JsonMapper FILES = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

	private final EventSchemaSource source;

	private final Path folder;

	private final CompatibilityMode compatibility;

	private final Map<String, CompatibilityMode> overrides;

	private final boolean write;

	private EventContractVerifier(EventSchemaSource source, Path folder, CompatibilityMode compatibility,
			Map<String, CompatibilityMode> overrides, boolean write) {
		this.source = source;
		this.folder = folder;
		this.compatibility = compatibility;
		this.overrides = Map.copyOf(overrides);
		this.write = write;
	}

	/**
	 * A verifier of the current schemas against the default folder ({@value #DEFAULT_FOLDER})
	 * under {@link CompatibilityMode#FORWARD}, the default of
	 * {@code outbox.contract.compatibility}.
	 * @param currentSchemas the current schema of each event type, for example
	 * {@link PayloadSchemaGenerator#schemaSource(EventTypeCatalog)} or the application's
	 * {@link EventSchemaSource} bean
	 * @return the verifier
	 */
	public static EventContractVerifier of(EventSchemaSource currentSchemas) {
		return new EventContractVerifier(currentSchemas, Path.of(DEFAULT_FOLDER), CompatibilityMode.FORWARD, Map.of(),
				false);
	}

	/**
	 * Use another folder of committed schemas.
	 * @param folder the folder holding {@code <eventType>/v<N>.json}
	 * @return a copy using that folder
	 */
	public EventContractVerifier withFolder(Path folder) {
		return new EventContractVerifier(this.source, folder, this.compatibility, this.overrides, this.write);
	}

	/**
	 * Use another compatibility mode for every event type without an override; set it to the
	 * service's {@code outbox.contract.compatibility}.
	 * @param mode the mode
	 * @return a copy using that mode
	 */
	public EventContractVerifier withCompatibility(CompatibilityMode mode) {
		return new EventContractVerifier(this.source, this.folder, mode, this.overrides, this.write);
	}

	/**
	 * Use another compatibility mode for one event type, as the service's per-event-type
	 * override does.
	 * @param eventType the event type
	 * @param mode its mode
	 * @return a copy with that override
	 */
	public EventContractVerifier withCompatibility(String eventType, CompatibilityMode mode) {
		Map<String, CompatibilityMode> overrides = new HashMap<>(this.overrides);
		overrides.put(eventType, mode);
		return new EventContractVerifier(this.source, this.folder, this.compatibility, overrides, this.write);
	}

	/**
	 * Write the next version of every event type whose schema changed compatibly, or that has
	 * none committed, instead of failing for it. Incompatible changes still fail.
	 * @return a copy that writes
	 */
	public EventContractVerifier writeNewVersions() {
		return new EventContractVerifier(this.source, this.folder, this.compatibility, this.overrides, true);
	}

	/**
	 * Check every event type and fail if the contract does not hold.
	 * @return the report, when every event type passed
	 * @throws AssertionError with the {@linkplain EventContractReport#toString() report} when
	 * an event type is incompatible with its committed versions or its current schema is not
	 * committed
	 * @throws IllegalArgumentException if a committed file is unreadable, misnamed or outside
	 * the supported schema subset, or an event type cannot name a folder
	 */
	public EventContractReport verify() {
		EventContractReport report = check();
		if (!report.passed()) {
			throw new AssertionError(report.toString());
		}
		return report;
	}

	/**
	 * Check every event type without failing, writing new versions if requested.
	 * @return the outcome per event type
	 * @throws IllegalArgumentException if a committed file is unreadable, misnamed or outside
	 * the supported schema subset, or an event type cannot name a folder
	 */
	public EventContractReport check() {
		boolean writing = this.write || Boolean.getBoolean(WRITE_SCHEMAS_PROPERTY);
		List<EventContractReport.Outcome> outcomes = new ArrayList<>();
		SortedMap<String, JsonNode> current = this.source.schemas();
		for (Map.Entry<String, JsonNode> entry : current.entrySet()) {
			outcomes.add(check(entry.getKey(), entry.getValue(), writing));
		}
		return new EventContractReport(this.folder, outcomes);
	}

	private EventContractReport.Outcome check(String eventType, JsonNode schema, boolean writing) {
		Path typeFolder = typeFolder(eventType);
		List<RegisteredSchema> committed = committed(typeFolder);
		CompatibilityMode mode = this.overrides.getOrDefault(eventType, this.compatibility);
		for (RegisteredSchema version : committed) {
			if (version.schema().equals(schema)) {
				return new EventContractReport.Outcome(eventType, EventContractReport.Status.MATCHES, version.version(),
						mode, file(typeFolder, version.version()), List.of());
			}
		}
		List<CompatibilityViolation> violations;
		try {
			violations = SchemaCompatibility.check(schema, committed, mode);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("Event type '" + eventType + "' (committed schemas in " + typeFolder
					+ "): " + ex.getMessage(), ex);
		}
		int next = committed.isEmpty() ? 1 : committed.get(committed.size() - 1).version() + 1;
		Path file = file(typeFolder, next);
		if (!violations.isEmpty()) {
			return new EventContractReport.Outcome(eventType, EventContractReport.Status.INCOMPATIBLE, next, mode, file,
					violations);
		}
		if (!writing) {
			return new EventContractReport.Outcome(eventType, EventContractReport.Status.NOT_COMMITTED, next, mode, file,
					List.of());
		}
		writeSchema(file, schema);
		return new EventContractReport.Outcome(eventType, EventContractReport.Status.WRITTEN, next, mode, file,
				List.of());
	}

	private Path typeFolder(String eventType) {
		if (eventType.isBlank() || eventType.equals(".") || eventType.equals("..") || eventType.contains("/")
				|| eventType.contains("\\")) {
			throw new IllegalArgumentException("Event type '" + eventType + "' cannot name a folder under "
					+ this.folder + " for its committed schemas: an event type must not be blank, '.' or '..' nor "
					+ "contain '/' or '\\'; rename the event type");
		}
		return this.folder.resolve(eventType);
	}

	private static Path file(Path typeFolder, int version) {
		return typeFolder.resolve("v" + version + ".json");
	}

	private static List<RegisteredSchema> committed(Path typeFolder) {
		if (!Files.isDirectory(typeFolder)) {
			return List.of();
		}
		SortedMap<Integer, RegisteredSchema> versions = new TreeMap<>();
		try (Stream<Path> files = Files.list(typeFolder)) {
			for (Path file : files.sorted().toList()) {
				String name = file.getFileName().toString();
				if (!name.endsWith(".json")) {
					continue;
				}
				Matcher matcher = VERSION_FILE.matcher(name);
				if (!matcher.matches()) {
					throw new IllegalArgumentException("Committed schema file " + file + " is not named v<N>.json "
							+ "(N = 1, 2, ..., the version it holds); rename it, or move it out of " + typeFolder);
				}
				int version = Integer.parseInt(matcher.group(1));
				versions.put(version, new RegisteredSchema(version, read(file)));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not list the committed schemas in " + typeFolder, ex);
		}
		return List.copyOf(versions.values());
	}

	private static JsonNode read(Path file) {
		try {
			return FILES.readTree(Files.readString(file, StandardCharsets.UTF_8));
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException("Committed schema file " + file + " is not valid JSON: "
					+ ex.getOriginalMessage() + "; fix it, or delete it and write it again with -D"
					+ WRITE_SCHEMAS_PROPERTY + "=true", ex);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read the committed schema file " + file, ex);
		}
	}

	private static void writeSchema(Path file, JsonNode schema) {
		try {
			Files.createDirectories(file.getParent());
			Files.writeString(file, FILES.writeValueAsString(schema) + "\n", StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not write the schema file " + file, ex);
		}
	}

}
