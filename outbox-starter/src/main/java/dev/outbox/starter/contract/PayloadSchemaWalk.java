package dev.outbox.starter.contract;

import java.nio.ByteBuffer;
import java.text.DateFormat;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Consumer;

import com.fasterxml.jackson.annotation.JsonFormat;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.BeanProperty;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.jsonFormatVisitors.JsonAnyFormatVisitor;
import tools.jackson.databind.jsonFormatVisitors.JsonArrayFormatVisitor;
import tools.jackson.databind.jsonFormatVisitors.JsonBooleanFormatVisitor;
import tools.jackson.databind.jsonFormatVisitors.JsonFormatTypes;
import tools.jackson.databind.jsonFormatVisitors.JsonFormatVisitable;
import tools.jackson.databind.jsonFormatVisitors.JsonFormatVisitorWrapper;
import tools.jackson.databind.jsonFormatVisitors.JsonIntegerFormatVisitor;
import tools.jackson.databind.jsonFormatVisitors.JsonMapFormatVisitor;
import tools.jackson.databind.jsonFormatVisitors.JsonNullFormatVisitor;
import tools.jackson.databind.jsonFormatVisitors.JsonNumberFormatVisitor;
import tools.jackson.databind.jsonFormatVisitors.JsonObjectFormatVisitor;
import tools.jackson.databind.jsonFormatVisitors.JsonStringFormatVisitor;
import tools.jackson.databind.jsonFormatVisitors.JsonValueFormat;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.ser.BeanPropertyWriter;
import tools.jackson.databind.ser.PropertyWriter;
import tools.jackson.databind.util.StdDateFormat;

/**
 * One walk of a payload type through the mapper's serializers, for
 * {@link PayloadSchemaGenerator}: each visited value fills one schema node; object types are
 * collected as definitions, each visited once, so recursive types end in a {@code $ref}.
 */
final class PayloadSchemaWalk {

	private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

	private static final String ROOT_REF = "#";

	private final JavaType payloadType;

	/** Object type to the {@code $ref} naming it ("#" for the payload type itself). */
	private final Map<JavaType, String> references = new HashMap<>();

	private final SortedMap<String, ObjectNode> definitions = new TreeMap<>();

	private final ObjectNode root = NODES.objectNode();

	PayloadSchemaWalk(JavaType payloadType) {
		this.payloadType = payloadType;
	}

	/** Walk the payload type and return the root schema body (without {@code $schema}). */
	ObjectNode run(ObjectMapper mapper) {
		mapper.acceptJsonFormatVisitor(this.payloadType, new ValueVisitor(this.root, this.payloadType, null, ""));
		return this.root;
	}

	SortedMap<String, ObjectNode> definitions() {
		return this.definitions;
	}

	/**
	 * The schema of one value: a property, an element or a map value. The visitor of its
	 * serializer fills the returned node.
	 */
	ObjectNode describe(SerializationContext context, JavaType type, @Nullable JsonFormatVisitable serializer,
			@Nullable BeanProperty property, String path) {
		ObjectNode schema = NODES.objectNode();
		Class<?> raw = type.getRawClass();
		if (raw == byte[].class || ByteBuffer.class.isAssignableFrom(raw)) {
			// written as Base64 text, though the serializer describes an array of integers
			schema.put("type", "string");
			return schema;
		}
		JsonFormatVisitable visitable = (serializer != null) ? serializer
				: context.findPrimaryPropertySerializer(type, property);
		ValueVisitor visitor = new ValueVisitor(schema, type, property, path);
		visitor.setContext(context);
		visitable.acceptJsonFormatVisitor(visitor, type);
		return schema;
	}

	/** The nullable form of a schema, in the subset {@link SchemaDocument} accepts. */
	static JsonNode nullable(ObjectNode schema) {
		if (schema.isEmpty()) {
			return schema;
		}
		if (schema.has("$ref") || schema.has("enum")) {
			ObjectNode wrapper = NODES.objectNode();
			ArrayNode anyOf = wrapper.putArray("anyOf");
			anyOf.add(schema);
			anyOf.addObject().put("type", "null");
			return wrapper;
		}
		JsonNode type = schema.get("type");
		if (type != null && type.isString()) {
			ArrayNode types = NODES.arrayNode();
			types.add(type.asString());
			types.add("null");
			schema.set("type", types);
		}
		return schema;
	}

	IllegalArgumentException cannotDescribe(String path, String problem) {
		String where = path.isEmpty() ? "" : ", property '" + path + "'";
		return new IllegalArgumentException("Cannot derive the JSON Schema of payload type "
				+ this.payloadType.toCanonical() + where + ": " + problem);
	}

	private String reference(JavaType type) {
		String name = type.getRawClass().getSimpleName();
		if (type.hasGenericTypes()) {
			StringBuilder generic = new StringBuilder(name);
			for (int i = 0; i < type.containedTypeCount(); i++) {
				generic.append('_').append(type.containedType(i).getRawClass().getSimpleName());
			}
			name = generic.toString();
		}
		if (this.definitions.containsKey(name)) {
			name = type.toCanonical().replace('<', '_').replace('>', '_').replace(',', '_').replace(" ", "");
		}
		String unique = name;
		for (int counter = 2; this.definitions.containsKey(unique); counter++) {
			unique = name + counter;
		}
		return unique;
	}

	private static String definitionRef(String name) {
		return "#/$defs/" + name.replace("~", "~0").replace("/", "~1");
	}

	private static String join(String path, String name) {
		return path.isEmpty() ? name : path + "." + name;
	}

	/** The {@code format} of a string the mapper writes for a type, or {@code null}. */
	private static @Nullable String stringFormat(SerializationContext context, Class<?> raw,
			@Nullable BeanProperty property) {
		JsonFormat.Value declared = (property != null) ? property.findPropertyFormat(context.getConfig(), raw)
				: context.getConfig().getDefaultPropertyFormat(raw);
		if (declared != null && declared.hasPattern()) {
			return null;
		}
		if (raw == Instant.class || raw == OffsetDateTime.class) {
			return JsonValueFormat.DATE_TIME.toString();
		}
		if (raw == ZonedDateTime.class) {
			boolean zoneId = context.isEnabled(DateTimeFeature.WRITE_DATES_WITH_ZONE_ID) || (declared != null
					&& Boolean.TRUE.equals(declared.getFeature(JsonFormat.Feature.WRITE_DATES_WITH_ZONE_ID)));
			return zoneId ? null : JsonValueFormat.DATE_TIME.toString();
		}
		if (Date.class.isAssignableFrom(raw) || Calendar.class.isAssignableFrom(raw)) {
			DateFormat dateFormat = context.getConfig().getDateFormat();
			return (dateFormat == null || dateFormat.getClass() == StdDateFormat.class)
					? JsonValueFormat.DATE_TIME.toString() : null;
		}
		if (raw == LocalDate.class) {
			return JsonValueFormat.DATE.toString();
		}
		if (raw == UUID.class) {
			return JsonValueFormat.UUID.toString();
		}
		return null;
	}

	/**
	 * The names of the properties that {@code @JsonUnwrapped} values write into an object of a
	 * type and that are left out with the value they come from. Jackson writes no key of an
	 * unwrapped value that is null, whatever the inclusion rule, but its serializer hands the
	 * value's properties to the enclosing object's visitor as the object's own, with no mark of
	 * where they came from; so they are found here, for each unwrapped property of the type. When
	 * it may be absent (by the rules of {@link PayloadProperty}: nullable, an {@code Optional}, or
	 * an inclusion that leaves it out), all its properties are left out with it. When it is always
	 * written, those of its own properties that its type leaves out in turn (a nullable unwrapped
	 * value inside it) are, found the same way and renamed to the names they take here (a prefix
	 * or suffix) by their position: an unwrapping serializer deposits the properties of its type in
	 * the type's own order.
	 */
	private static Set<String> leftOutWithOwner(SerializationContext context, JavaType type) {
		Set<String> names = new HashSet<>();
		for (Iterator<PropertyWriter> writers = context.findValueSerializer(type).properties(); writers.hasNext();) {
			if (!(writers.next() instanceof BeanPropertyWriter writer) || !writer.isUnwrapping()) {
				continue;
			}
			List<String> here = depositedNames(context, (visitor) -> writer.depositSchemaProperty(visitor, context));
			PayloadProperty rules = PayloadProperty.of(context, type, writer);
			if (!rules.alwaysWritten() || rules.writesNull()) {
				names.addAll(here);
				continue;
			}
			JavaType valueType = writer.getType();
			Set<String> leftOutThere = leftOutWithOwner(context, valueType);
			if (leftOutThere.isEmpty()) {
				continue;
			}
			List<String> there = depositedNames(context, (visitor) -> context.findValueSerializer(valueType)
				.acceptJsonFormatVisitor(new JsonFormatVisitorWrapper.Base(context) {

					@Override
					public JsonObjectFormatVisitor expectObjectFormat(JavaType objectType) {
						return visitor;
					}

				}, valueType));
			for (int i = 0; i < Math.min(here.size(), there.size()); i++) {
				if (leftOutThere.contains(there.get(i))) {
					names.add(here.get(i));
				}
			}
		}
		return names;
	}

	/** The names of the properties a serializer deposits into an object visitor, in order. */
	private static List<String> depositedNames(SerializationContext context, Consumer<JsonObjectFormatVisitor> deposit) {
		List<String> names = new ArrayList<>();
		deposit.accept(new JsonObjectFormatVisitor.Base(context) {

			@Override
			public void property(BeanProperty property) {
				names.add(property.getName());
			}

			@Override
			public void optionalProperty(BeanProperty property) {
				names.add(property.getName());
			}

			@Override
			public void property(String name, JsonFormatVisitable handler, JavaType propertyType) {
				names.add(name);
			}

			@Override
			public void optionalProperty(String name, JsonFormatVisitable handler, JavaType propertyType) {
				names.add(name);
			}

		});
		return names;
	}

	/** Receives the serializer's description of one value and writes it into a schema node. */
	private final class ValueVisitor extends JsonFormatVisitorWrapper.Base {

		private final ObjectNode schema;

		private final JavaType type;

		private final @Nullable BeanProperty property;

		private final String path;

		ValueVisitor(ObjectNode schema, JavaType type, @Nullable BeanProperty property, String path) {
			this.schema = schema;
			this.type = type;
			this.property = property;
			this.path = path;
		}

		@Override
		public @Nullable JsonObjectFormatVisitor expectObjectFormat(JavaType objectType) {
			SerializationContext context = getContext();
			if (objectType.getRawClass() == Object.class) {
				// untyped: the mapper writes whatever the runtime value is
				return null;
			}
			if (context.findTypeSerializer(objectType) != null) {
				throw cannotDescribe(this.path, "type " + objectType.toCanonical() + " is written with type "
						+ "information (@JsonTypeInfo or default typing), and polymorphic payloads need 'oneOf', which "
						+ "the event contract's schema subset does not support; publish a concrete type, or commit a "
						+ "hand-written schema file for the event type");
			}
			if (context.getAnnotationIntrospector()
				.findObjectIdInfo(context.getConfig(), context.introspectClassAnnotations(objectType)) != null) {
				throw cannotDescribe(this.path, "type " + objectType.toCanonical() + " has object identity "
						+ "(@JsonIdentityInfo): a repeated instance is written as its id instead of the object, which "
						+ "a schema of the object does not describe; remove @JsonIdentityInfo from the payload type, "
						+ "or commit a hand-written schema file for the event type");
			}
			String known = PayloadSchemaWalk.this.references.get(objectType);
			if (known != null) {
				this.schema.put("$ref", known.equals(ROOT_REF) ? ROOT_REF : definitionRef(known));
				return null;
			}
			ObjectNode definition;
			if (this.schema == PayloadSchemaWalk.this.root) {
				PayloadSchemaWalk.this.references.put(objectType, ROOT_REF);
				definition = this.schema;
			}
			else {
				String name = reference(objectType);
				PayloadSchemaWalk.this.references.put(objectType, name);
				definition = NODES.objectNode();
				PayloadSchemaWalk.this.definitions.put(name, definition);
				this.schema.put("$ref", definitionRef(name));
			}
			definition.put("type", "object");
			return new ObjectVisitor(context, definition, objectType, this.path);
		}

		@Override
		public JsonArrayFormatVisitor expectArrayFormat(JavaType arrayType) {
			this.schema.put("type", "array");
			return new JsonArrayFormatVisitor.Base(getContext()) {

				@Override
				public void itemsFormat(JsonFormatVisitable handler, JavaType elementType) {
					ObjectNode items = describe(getContext(), elementType, handler, null, ValueVisitor.this.path + "[]");
					ValueVisitor.this.schema.set("items", elementType.isReferenceType() ? nullable(items) : items);
				}

				@Override
				public void itemsFormat(JsonFormatTypes format) {
					if (format != JsonFormatTypes.ANY) {
						ValueVisitor.this.schema.putObject("items").put("type", format.value());
					}
				}

			};
		}

		@Override
		public JsonMapFormatVisitor expectMapFormat(JavaType mapType) {
			this.schema.put("type", "object");
			return new JsonMapFormatVisitor.Base(getContext()) {

				@Override
				public void valueFormat(JsonFormatVisitable handler, JavaType valueType) {
					ObjectNode values = describe(getContext(), valueType, handler, null, ValueVisitor.this.path + "{}");
					if (!values.isEmpty()) {
						ValueVisitor.this.schema.set("additionalProperties",
								valueType.isReferenceType() ? nullable(values) : values);
					}
				}

			};
		}

		@Override
		public JsonStringFormatVisitor expectStringFormat(JavaType stringType) {
			this.schema.put("type", "string");
			// the serializer's own type: an Optional<Instant>'s serializer describes the Instant
			Class<?> written = (stringType != null) ? stringType.getRawClass() : this.type.getRawClass();
			String format = stringFormat(getContext(), written, this.property);
			if (format != null) {
				this.schema.put("format", format);
			}
			return new JsonStringFormatVisitor.Base() {

				@Override
				public void enumTypes(Set<String> values) {
					ArrayNode sorted = ValueVisitor.this.schema.putArray("enum");
					new TreeSet<>(values).forEach(sorted::add);
				}

			};
		}

		@Override
		public JsonNumberFormatVisitor expectNumberFormat(JavaType numberType) {
			this.schema.put("type", "number");
			return new JsonNumberFormatVisitor.Base();
		}

		@Override
		public JsonIntegerFormatVisitor expectIntegerFormat(JavaType integerType) {
			// Jackson's Duration serializer describes an integer but writes seconds with a fraction
			Class<?> written = (integerType != null) ? integerType.getRawClass() : this.type.getRawClass();
			boolean fraction = written == Duration.class
					&& getContext().isEnabled(DateTimeFeature.WRITE_DATE_TIMESTAMPS_AS_NANOSECONDS);
			this.schema.put("type", fraction ? "number" : "integer");
			return new JsonIntegerFormatVisitor.Base() {

				@Override
				public void numberType(JsonParser.NumberType numberType) {
					if (numberType == JsonParser.NumberType.FLOAT || numberType == JsonParser.NumberType.DOUBLE
							|| numberType == JsonParser.NumberType.BIG_DECIMAL) {
						ValueVisitor.this.schema.put("type", "number");
					}
				}

			};
		}

		@Override
		public JsonBooleanFormatVisitor expectBooleanFormat(JavaType booleanType) {
			this.schema.put("type", "boolean");
			return new JsonBooleanFormatVisitor.Base();
		}

		@Override
		public JsonNullFormatVisitor expectNullFormat(JavaType nullType) {
			this.schema.put("type", "null");
			return new JsonNullFormatVisitor.Base();
		}

		@Override
		public JsonAnyFormatVisitor expectAnyFormat(JavaType anyType) {
			return new JsonAnyFormatVisitor.Base();
		}

	}

	/** Receives the properties of one object type and writes them into its definition. */
	private final class ObjectVisitor extends JsonObjectFormatVisitor.Base {

		private final ObjectNode definition;

		private final JavaType objectType;

		private final String path;

		private final ObjectNode properties;

		private final Set<String> required = new TreeSet<>();

		/** Properties of unwrapped values that are left out with them: never required. */
		private final Set<String> leftOutWithOwner;

		ObjectVisitor(SerializationContext context, ObjectNode definition, JavaType objectType, String path) {
			super(context);
			this.definition = definition;
			this.objectType = objectType;
			this.path = path;
			this.properties = definition.putObject("properties");
			this.leftOutWithOwner = leftOutWithOwner(context, objectType);
		}

		@Override
		public void property(BeanProperty property) {
			add(property);
		}

		@Override
		public void optionalProperty(BeanProperty property) {
			add(property);
		}

		@Override
		public void property(String name, JsonFormatVisitable handler, JavaType propertyType) {
			put(name, describe(getContext(), propertyType, handler, null, join(this.path, name)), true);
		}

		@Override
		public void optionalProperty(String name, JsonFormatVisitable handler, JavaType propertyType) {
			put(name, describe(getContext(), propertyType, handler, null, join(this.path, name)), false);
		}

		private void add(BeanProperty property) {
			String at = join(this.path, property.getName());
			if (property instanceof BeanPropertyWriter writer && writer.getTypeSerializer() != null) {
				throw cannotDescribe(at, "it is written with type information (@JsonTypeInfo or default typing), "
						+ "and polymorphic values need 'oneOf', which the event contract's schema subset does not "
						+ "support; use a concrete type, or commit a hand-written schema file for the event type");
			}
			if (property.getMember() != null && getContext().getAnnotationIntrospector()
				.findObjectIdInfo(getContext().getConfig(), property.getMember()) != null) {
				throw cannotDescribe(at, "it has object identity (@JsonIdentityInfo): a repeated instance is written "
						+ "as its id instead of the object, which a schema of the object does not describe; remove "
						+ "@JsonIdentityInfo, or commit a hand-written schema file for the event type");
			}
			PayloadProperty rules = PayloadProperty.of(getContext(), this.objectType, property);
			JavaType valueType = property.getType();
			JsonFormatVisitable serializer = null;
			if (property instanceof BeanPropertyWriter writer) {
				if (writer.getSerializationType() != null) {
					valueType = writer.getSerializationType();
				}
				serializer = writer.getSerializer();
			}
			ObjectNode schema = describe(getContext(), valueType, serializer, property, at);
			put(property.getName(), rules.writesNull() ? nullable(schema) : schema, rules.alwaysWritten());
		}

		private void put(String name, JsonNode schema, boolean alwaysWritten) {
			this.properties.set(name, schema);
			if (alwaysWritten && !this.leftOutWithOwner.contains(name)) {
				this.required.add(name);
				ArrayNode names = this.definition.putArray("required");
				this.required.forEach(names::add);
			}
		}

	}

}
