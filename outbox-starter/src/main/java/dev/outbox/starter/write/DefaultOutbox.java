package dev.outbox.starter.write;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.util.IdGenerator;
import org.springframework.util.unit.DataSize;

import dev.outbox.starter.InvalidOutboxEventException;
import dev.outbox.starter.Outbox;
import dev.outbox.starter.OutboxHeadersContributor;
import dev.outbox.starter.contract.EventSchemaVersions;
import dev.outbox.starter.contract.EventTypeCatalog;
import dev.outbox.starter.contract.PayloadValidator;

/**
 * The {@link Outbox} the starter configures. It checks the event, serializes payload and
 * headers with the application's {@link JsonMapper} right away (so a bad event fails at the
 * call site), gives it a {@link UuidV7Generator time-ordered id} and hands it to the
 * {@link OutboxEventWriter}. Given an {@link EventTypeCatalog}, it refuses an event type the
 * catalog does not hold.
 * <p>
 * Headers are those of the {@link OutboxHeadersContributor contributors}, in order, then the
 * user's, which replace contributed headers of the same name. A name the relay writes itself
 * ({@link dev.outbox.contract.ReservedHeaders}: {@code id}, {@code eventType},
 * {@code aggregateType}, ignoring case), from either source, is rejected. No headers are
 * stored as SQL {@code NULL}.
 * <p>
 * <b>Schema version.</b> Each event carries the version the schema registry gave its event
 * type's current schema at this startup ({@link EventSchemaVersions}), or none when the type has
 * no registered schema. With payload validation on ({@code outbox.contract.validate-payloads}),
 * a payload that does not match its type's current schema is rejected, naming the property.
 * Thread-safe.
 */
public class DefaultOutbox implements Outbox {

	private final OutboxEventWriter writer;

	private final JsonMapper jsonMapper;

	private final List<OutboxHeadersContributor> contributors;

	private final DataSize maxPayloadSize;

	private final DataSize maxHeaderSize;

	private final @Nullable EventTypeCatalog requiredEventTypes;

	private final EventSchemaVersions schemaVersions;

	private final boolean validatePayloads;

	private final IdGenerator idGenerator = new UuidV7Generator();

	/**
	 * Create an outbox that publishes any event type, with no schema versions.
	 * @param writer the writer that buffers events in the caller's transaction
	 * @param jsonMapper the mapper for payloads and headers
	 * @param contributors the header contributors, in order
	 * @param maxPayloadSize the largest accepted payload, as UTF-8 JSON
	 * @param maxHeaderSize the largest accepted header, name plus value, in UTF-8
	 */
	public DefaultOutbox(OutboxEventWriter writer, JsonMapper jsonMapper, List<OutboxHeadersContributor> contributors,
			DataSize maxPayloadSize, DataSize maxHeaderSize) {
		this(writer, jsonMapper, contributors, maxPayloadSize, maxHeaderSize, null, new EventSchemaVersions(), false);
	}

	/**
	 * Create an outbox that requires declared event types, with no schema versions.
	 * @param writer the writer that buffers events in the caller's transaction
	 * @param jsonMapper the mapper for payloads and headers
	 * @param contributors the header contributors, in order
	 * @param maxPayloadSize the largest accepted payload, as UTF-8 JSON
	 * @param maxHeaderSize the largest accepted header, name plus value, in UTF-8
	 * @param requiredEventTypes the catalog every published event type must be declared in,
	 * or {@code null} to publish any event type
	 */
	public DefaultOutbox(OutboxEventWriter writer, JsonMapper jsonMapper, List<OutboxHeadersContributor> contributors,
			DataSize maxPayloadSize, DataSize maxHeaderSize, @Nullable EventTypeCatalog requiredEventTypes) {
		this(writer, jsonMapper, contributors, maxPayloadSize, maxHeaderSize, requiredEventTypes,
				new EventSchemaVersions(), false);
	}

	/**
	 * Create an outbox that stamps schema versions and may validate payloads.
	 * @param writer the writer that buffers events in the caller's transaction
	 * @param jsonMapper the mapper for payloads and headers
	 * @param contributors the header contributors, in order
	 * @param maxPayloadSize the largest accepted payload, as UTF-8 JSON
	 * @param maxHeaderSize the largest accepted header, name plus value, in UTF-8
	 * @param requiredEventTypes the catalog every published event type must be declared in,
	 * or {@code null} to publish any event type
	 * ({@code outbox.contract.require-declared-event-types=false})
	 * @param schemaVersions the current schema and registered version of each event type
	 * @param validatePayloads whether to validate each payload against its type's current schema
	 */
	public DefaultOutbox(OutboxEventWriter writer, JsonMapper jsonMapper, List<OutboxHeadersContributor> contributors,
			DataSize maxPayloadSize, DataSize maxHeaderSize, @Nullable EventTypeCatalog requiredEventTypes,
			EventSchemaVersions schemaVersions, boolean validatePayloads) {
		this.requiredEventTypes = requiredEventTypes;
		this.schemaVersions = schemaVersions;
		this.validatePayloads = validatePayloads;
		this.writer = writer;
		this.jsonMapper = jsonMapper;
		this.contributors = List.copyOf(contributors);
		this.maxPayloadSize = maxPayloadSize;
		this.maxHeaderSize = maxHeaderSize;
	}

	@Override
	public void publish(String aggregateType, String aggregateId, String eventType, Object payload,
			Map<String, String> headers) {
		String context = "aggregateType '" + EventChecks.abbreviate(aggregateType) + "', aggregateId '"
				+ EventChecks.abbreviate(aggregateId) + "', eventType '" + EventChecks.abbreviate(eventType) + "'";
		EventChecks.requireName("aggregateType", aggregateType, context);
		EventChecks.requireName("aggregateId", aggregateId, context);
		EventChecks.requireName("eventType", eventType, context);
		if (this.requiredEventTypes != null) {
			EventChecks.requireDeclared(this.requiredEventTypes, eventType, context);
		}
		String payloadJson = serializePayload(payload, context);
		String headersJson = serializeHeaders(headers, context);
		if (this.validatePayloads) {
			validate(eventType, payloadJson, context);
		}
		this.writer.write(new OutboxRecord(this.idGenerator.generateId(), aggregateType, aggregateId, eventType,
				payloadJson, headersJson, this.schemaVersions.versionOf(eventType)));
	}

	private void validate(String eventType, String payloadJson, String context) {
		JsonNode schema = this.schemaVersions.schemaOf(eventType);
		if (schema == null) {
			return;
		}
		String error = PayloadValidator.firstError(schema, this.jsonMapper.readTree(payloadJson));
		if (error != null) {
			Integer version = this.schemaVersions.versionOf(eventType);
			throw new InvalidOutboxEventException("payload does not match the schema of event type '"
					+ EventChecks.abbreviate(eventType) + "'" + ((version != null) ? " (version " + version + ")" : "")
					+ ": " + error + " (" + context + "). Fix the payload, or change the event type's schema "
					+ "(outbox.contract.validate-payloads=true checks every payload)");
		}
	}

	private String serializePayload(@Nullable Object payload, String context) {
		if (payload == null) {
			throw new InvalidOutboxEventException("payload must not be null (" + context + "); publish the event "
					+ "body, and for @OutboxEvent on a method that returns nothing set its payload expression");
		}
		String json;
		try {
			json = this.jsonMapper.writeValueAsString(payload);
		}
		catch (RuntimeException ex) {
			throw new InvalidOutboxEventException("payload of type " + payload.getClass().getName() + " cannot be "
					+ "serialized to JSON with the application's JsonMapper (" + context + "): " + ex.getMessage()
					+ ". Make it serializable (accessors, @JsonProperty, a registered module) or publish a JsonNode",
					ex);
		}
		long bytes = EventChecks.utf8Length(json);
		if (bytes > this.maxPayloadSize.toBytes()) {
			throw new InvalidOutboxEventException("payload is " + bytes + " bytes as JSON, above "
					+ "outbox.max-payload-size = " + this.maxPayloadSize + " (" + context + "). Publish a reference "
					+ "to large data instead, or raise outbox.max-payload-size");
		}
		if (EventChecks.containsNulEscape(json)) {
			throw new InvalidOutboxEventException("payload contains the character U+0000, which PostgreSQL jsonb "
					+ "cannot store (" + context + "); remove it from the payload");
		}
		return json;
	}

	private @Nullable String serializeHeaders(@Nullable Map<String, String> userHeaders, String context) {
		if (userHeaders == null) {
			throw new InvalidOutboxEventException("headers must not be null (" + context + "); pass Map.of()");
		}
		Map<String, String> headers = new LinkedHashMap<>();
		for (OutboxHeadersContributor contributor : this.contributors) {
			contributor.contribute(headers);
			// Names of earlier contributors have passed: a reserved one is this contributor's.
			for (String name : headers.keySet()) {
				EventChecks.requireUnreservedHeader(name,
						"OutboxHeadersContributor " + contributor.getClass().getName(), context);
			}
		}
		for (String name : userHeaders.keySet()) {
			EventChecks.requireUnreservedHeader(name, "the headers argument of Outbox.publish", context);
		}
		headers.putAll(userHeaders);
		if (headers.isEmpty()) {
			return null;
		}
		for (Map.Entry<String, String> header : headers.entrySet()) {
			checkHeader(header.getKey(), header.getValue(), context);
		}
		return this.jsonMapper.writeValueAsString(headers);
	}

	private void checkHeader(@Nullable String name, @Nullable String value, String context) {
		if (name == null || name.isBlank() || value == null) {
			throw new InvalidOutboxEventException("header '" + name + "' has a " + ((value == null) ? "null value"
					: "null or blank name") + " (" + context + "); header names must be non-blank and values non-null");
		}
		if (name.indexOf('\0') >= 0 || value.indexOf('\0') >= 0) {
			throw new InvalidOutboxEventException("header '" + name + "' contains the character U+0000, which "
					+ "PostgreSQL jsonb cannot store (" + context + ")");
		}
		long bytes = EventChecks.utf8Length(name) + EventChecks.utf8Length(value);
		if (bytes > this.maxHeaderSize.toBytes()) {
			throw new InvalidOutboxEventException("header '" + name + "' is " + bytes + " bytes (name plus value), "
					+ "above outbox.max-header-size = " + this.maxHeaderSize + " (" + context + "). Shorten it, or "
					+ "raise outbox.max-header-size");
		}
	}

}
