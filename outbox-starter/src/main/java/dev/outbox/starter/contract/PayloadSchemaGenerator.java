package dev.outbox.starter.contract;

import java.util.SortedMap;
import java.util.TreeMap;

import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Derives the JSON Schema (draft 2020-12) of a payload type <em>as the application's own
 * Jackson 3 mapper writes it</em>, from that mapper's serializers: what the schema says is
 * what {@code mapper.writeValueAsString(payload)} produces, not what the Java type looks like.
 * <p>
 * How it works: the mapper's serializer for the type is walked with Jackson's format-visitor
 * API ({@code ObjectMapper.acceptJsonFormatVisitor}), the same API its serializers implement
 * to describe their output. So the naming strategy, {@code @JsonProperty},
 * {@code @JsonIgnore}, {@code @JsonValue}, {@code @JsonFormat(shape = ...)}, custom
 * serializers that describe themselves, the enum settings and the date settings are the
 * mapper's, with no second reading of the annotations. No Jackson 2 and no other library is
 * needed (generators such as victools' are built on Jackson 2).
 * <p>
 * What is written, type by type:
 * <ul>
 * <li>records and classes: {@code "type": "object"} with their {@code properties} in the
 * order the mapper writes them, and an <b>open content model</b> (no
 * {@code additionalProperties}), as consumers that ignore unknown properties expect. Every
 * object type other than the payload type itself goes under {@code $defs} (named by its simple
 * class name) and is referred to with {@code $ref}; a recursive reference to the payload type
 * is {@code {"$ref": "#"}};</li>
 * <li>enums: {@code "type": "string"} and the values as the mapper writes them (name,
 * {@code toString()}, {@code @JsonProperty} or {@code @JsonValue}), <b>sorted</b>, so
 * reordering the constants does not change the schema; {@code "integer"} when written as
 * indexes;</li>
 * <li>collections and arrays: {@code "type": "array"} with {@code items}; {@code byte[]} is a
 * Base64 {@code "string"};</li>
 * <li>maps: {@code "type": "object"} with {@code additionalProperties} holding the schema of
 * the values;</li>
 * <li>numbers: {@code "integer"} for {@code int}, {@code long}, {@code BigInteger}, ...;
 * {@code "number"} for {@code double}, {@code BigDecimal}, ... (unless the mapper writes them
 * as strings);</li>
 * <li>{@code java.time} and {@code java.util.Date}: as the mapper writes them: a string under
 * the default {@code WRITE_DATES_AS_TIMESTAMPS = false}, a number otherwise. A string gets a
 * {@code format} only where the written text matches it exactly: {@code "date-time"} for
 * {@code Instant}, {@code OffsetDateTime}, {@code ZonedDateTime} (not with
 * {@code WRITE_DATES_WITH_ZONE_ID}) and {@code Date}/{@code Calendar} under Jackson's default
 * date format; {@code "date"} for {@code LocalDate}; {@code "uuid"} for {@code UUID}. Types
 * without an offset ({@code LocalDateTime}, {@code LocalTime}), {@code OffsetTime} (written
 * without seconds when they are zero, {@code "12:00Z"}, which RFC 3339's {@code time} does
 * not allow), durations and any value with a {@code @JsonFormat(pattern = ...)} are plain
 * strings: formats are assertions consumers rely on, so none is claimed that the text may not
 * meet;</li>
 * <li>{@code Object}, {@code JsonNode} and serializers that do not describe their output:
 * {@code {}} (any value).</li>
 * </ul>
 * <b>Required and nullable properties.</b> A property is {@code required} when the producer
 * always writes it, and its type includes {@code "null"} when the producer may write
 * {@code null}; both follow from the property's inclusion rule (the mapper's default,
 * {@code @JsonInclude} on the class or the property, per-type overrides) and from whether the
 * value may be absent:
 * <ul>
 * <li>a value may be absent when it is an {@code Optional} (or another reference type) or is
 * annotated with any annotation named {@code Nullable} (JSpecify's, on the type use, or any
 * other, on the field, getter, record component or constructor parameter). Other references
 * are taken as non-null, as JSpecify's {@code @NullMarked} reads them: a producer declares
 * where it writes null. Primitives are never null;</li>
 * <li>under {@code ALWAYS} (Jackson's default) every property is required, and one that may
 * be absent is <b>required-but-nullable</b>: {@code "type": ["string", "null"]}, since the
 * mapper writes the key with a null value;</li>
 * <li>under {@code NON_NULL} a value that may be null is <b>optional and not nullable</b>
 * (the key is left out instead); an empty {@code Optional} is still written as null, so it
 * stays required-but-nullable;</li>
 * <li>under {@code NON_ABSENT} both a null and an empty {@code Optional} leave the key out:
 * optional, not nullable;</li>
 * <li>under {@code NON_EMPTY}, {@code NON_DEFAULT} and {@code CUSTOM} the property may be
 * left out for a non-null value too (an empty string, a zero), so it is optional;</li>
 * <li>a collection, map or array is optional when {@code WRITE_EMPTY_JSON_ARRAYS} is
 * disabled (the empty one is left out).</li>
 * </ul>
 * Elements of collections, arrays and maps are non-null unless they are {@code Optional}s.
 * <p>
 * <b>What cannot be described</b> throws {@link IllegalArgumentException} naming the payload
 * type, the property path and the fix: polymorphic types ({@code @JsonTypeInfo}, default
 * typing) need {@code oneOf}, which the compatibility rules do not read. Commit a hand-written
 * schema file for such an event type, or publish a concrete type.
 * <p>
 * Every schema returned is accepted by the compatibility rules ({@link SchemaCompatibility});
 * generating twice gives equal {@link JsonNode}s. Thread-safe; each call walks the type
 * anew.
 */
public final class PayloadSchemaGenerator {

	private final ObjectMapper mapper;

	/**
	 * Create a generator for the payloads a mapper writes.
	 * @param mapper the application's Jackson 3 mapper (the {@code JsonMapper} Spring Boot
	 * auto-configures), the one the outbox serializes payloads with
	 */
	public PayloadSchemaGenerator(ObjectMapper mapper) {
		this.mapper = mapper;
	}

	/**
	 * The JSON Schema of a payload type.
	 * @param payloadType the payload class
	 * @return a draft 2020-12 schema document, with {@code $schema} and (when nested object
	 * types occur) {@code $defs}
	 * @throws IllegalArgumentException if part of the type cannot be described (see the class
	 * comment)
	 */
	public JsonNode schemaOf(Class<?> payloadType) {
		return schemaOf(this.mapper.constructType(payloadType));
	}

	/**
	 * The JSON Schema of a payload type with generic parameters.
	 * @param payloadType the payload type, for example from
	 * {@code mapper.getTypeFactory().constructParametricType(...)}
	 * @return a draft 2020-12 schema document
	 * @throws IllegalArgumentException if part of the type cannot be described (see the class
	 * comment)
	 */
	public JsonNode schemaOf(JavaType payloadType) {
		PayloadSchemaWalk walk = new PayloadSchemaWalk(payloadType);
		ObjectNode body = walk.run(this.mapper);
		ObjectNode document = JsonNodeFactory.instance.objectNode();
		document.put("$schema", SchemaDocument.DRAFT_2020_12);
		document.setAll(body);
		SortedMap<String, ObjectNode> definitions = walk.definitions();
		if (!definitions.isEmpty()) {
			ObjectNode defs = document.putObject("$defs");
			definitions.forEach(defs::set);
		}
		// the contract of this class: what it writes, the compatibility rules read
		new SchemaDocument(document, payloadType.toCanonical());
		return document;
	}

	/**
	 * The schemas of every event type of a catalog, derived from their payload types: the
	 * source the schema registry and {@link EventContractVerifier} compare.
	 * @param catalog the event types
	 * @return a source generating each schema on every call of
	 * {@link EventSchemaSource#schemas()}
	 * @throws IllegalArgumentException from {@code schemas()}, naming the event type and its
	 * declaration, if a payload type cannot be described
	 */
	public EventSchemaSource schemaSource(EventTypeCatalog catalog) {
		return () -> {
			SortedMap<String, JsonNode> schemas = new TreeMap<>();
			for (EventTypeDeclaration declaration : catalog.declarations()) {
				try {
					schemas.put(declaration.eventType(), schemaOf(declaration.payloadType()));
				}
				catch (IllegalArgumentException ex) {
					throw new IllegalArgumentException("Event type '" + declaration.eventType() + "' (declared by "
							+ declaration.declaredBy() + "): " + ex.getMessage(), ex);
				}
			}
			return schemas;
		};
	}

}
