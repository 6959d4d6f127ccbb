package dev.outbox.starter.inbox.kafka;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.util.ClassUtils;

import dev.outbox.starter.contract.EventTypeCatalog;
import dev.outbox.starter.contract.EventTypeDeclaration;
import dev.outbox.starter.inbox.kafka.InboxListener.OtherEventTypes;

/**
 * Which class the value of a record is read into for one {@link InboxListener @InboxListener}
 * method with a payload parameter, chosen by the record's event type and schema version; and the
 * reading itself. Pure logic: no Kafka, no Spring context.
 * <p>
 * The event types handled are the annotation's {@code eventTypes}, or else every event type of
 * the catalog whose payload type is the parameter's type or a subtype of it. Each is read into
 * its catalog payload type when the catalog declares it, else into the parameter's type: its
 * default class. A catalog payload type that the parameter cannot hold is an error at startup,
 * as is a default that finds no event type.
 * <p>
 * A schema version bound with {@link InboxPayload @InboxPayload} ({@link #withVersions}) is read
 * into its own class instead; any other version, and a record without schema version, into the
 * default class. A binding of an event type not handled, of a version below 1, of a class the
 * parameter cannot hold, or of a version bound before is an error at startup.
 */
final class PayloadDispatch {

	private final String listener;

	private final Class<?> parameterType;

	private final Map<String, Class<?>> targets;

	private final Map<String, Map<Integer, Class<?>>> versions;

	private final OtherEventTypes others;

	private PayloadDispatch(String listener, Class<?> parameterType, Map<String, Class<?>> targets,
			Map<String, Map<Integer, Class<?>>> versions, OtherEventTypes others) {
		this.listener = listener;
		this.parameterType = parameterType;
		this.targets = Collections.unmodifiableMap(targets);
		this.versions = Collections.unmodifiableMap(versions);
		this.others = others;
	}

	/**
	 * Decide the event types a method handles.
	 * @param listener the method, for messages
	 * @param parameterType the type of its payload parameter
	 * @param eventTypes the annotation's {@code eventTypes}, empty for the catalog's default
	 * @param catalog the application's event type catalog, {@code null} when it has none
	 * @param others what to do with other event types
	 * @return the dispatch
	 * @throws IllegalStateException if it handles no event type, or a catalog payload type is
	 * not the parameter's type
	 */
	static PayloadDispatch of(String listener, Class<?> parameterType, String[] eventTypes,
			@Nullable EventTypeCatalog catalog, OtherEventTypes others) {
		Class<?> target = ClassUtils.resolvePrimitiveIfNecessary(parameterType);
		Map<String, Class<?>> targets = new TreeMap<>();
		if (eventTypes.length > 0) {
			for (String eventType : eventTypes) {
				if (eventType.isBlank()) {
					throw new IllegalStateException(listener + " lists a blank event type in @InboxListener(eventTypes "
							+ "= " + Arrays.toString(eventTypes) + ")");
				}
				Class<?> declared = (catalog != null)
						? catalog.find(eventType).map(EventTypeDeclaration::payloadType).orElse(target) : target;
				if (!target.isAssignableFrom(declared)) {
					throw new IllegalStateException(listener + " handles event type '" + eventType + "', declared "
							+ "with payload type " + declared.getName() + ", which its payload parameter of type "
							+ target.getName() + " cannot hold; take " + declared.getSimpleName() + " or a supertype");
				}
				targets.put(eventType, declared);
			}
		}
		else {
			if (catalog != null) {
				for (EventTypeDeclaration declaration : catalog.declarations()) {
					if (target.isAssignableFrom(declaration.payloadType())) {
						targets.put(declaration.eventType(), declaration.payloadType());
					}
				}
			}
			if (targets.isEmpty()) {
				throw new IllegalStateException(listener + " takes a payload of type " + target.getName() + ", but "
						+ ((catalog != null) ? "no event type of the application's catalog "
								+ eventTypesOf(catalog) + " has it (or a subtype) as payload type"
								: "the application has no event type catalog")
						+ "; name the event types it handles with @InboxListener(eventTypes = {...})");
			}
		}
		return new PayloadDispatch(listener, target, targets, Map.of(), others);
	}

	/**
	 * This dispatch, with schema versions read into classes of their own.
	 * @param bindings the annotation's {@code payloadVersions}
	 * @return the dispatch
	 * @throws IllegalStateException if a binding names an event type not handled or a version
	 * below 1, binds a class the parameter cannot hold, or binds a version bound before
	 */
	PayloadDispatch withVersions(List<PayloadVersion> bindings) {
		Map<String, Map<Integer, Class<?>>> versions = new TreeMap<>();
		for (PayloadVersion binding : bindings) {
			String what = this.listener + " binds version " + binding.version() + " of event type '"
					+ binding.eventType() + "'";
			if (!this.targets.containsKey(binding.eventType())) {
				throw new IllegalStateException(what + " in @InboxPayload, an event type it does not handle (it "
						+ "handles " + this.targets.keySet() + "); name it in @InboxListener(eventTypes = ...), or "
						+ "remove the binding");
			}
			if (binding.version() < 1) {
				throw new IllegalStateException(what + " in @InboxPayload, but schema versions count from 1");
			}
			if (!this.parameterType.isAssignableFrom(binding.type())) {
				throw new IllegalStateException(what + " to " + binding.type().getName() + ", which its payload "
						+ "parameter of type " + this.parameterType.getName() + " cannot hold; bind a subtype of "
						+ this.parameterType.getSimpleName() + ", or take a common supertype of the classes");
			}
			Class<?> earlier = versions.computeIfAbsent(binding.eventType(), (eventType) -> new TreeMap<>())
				.putIfAbsent(binding.version(), binding.type());
			if (earlier != null) {
				throw new IllegalStateException(what + " twice, to " + earlier.getName() + " and to "
						+ binding.type().getName() + "; bind each version once");
			}
		}
		return new PayloadDispatch(this.listener, this.parameterType, this.targets, versions, this.others);
	}

	private static Set<String> eventTypesOf(EventTypeCatalog catalog) {
		Map<String, Boolean> names = new LinkedHashMap<>();
		catalog.declarations().forEach((declaration) -> names.put(declaration.eventType(), true));
		return names.keySet();
	}

	/**
	 * The event types handled, each with the class its payloads are read into.
	 * @return event type to class, ordered by event type
	 */
	Map<String, Class<?>> targets() {
		return this.targets;
	}

	/**
	 * The class a record's value is read into.
	 * @param eventType the record's event type, {@code null} without header
	 * @param schemaVersion the record's schema version header, {@code null} without header
	 * @param record the record and its event id, for messages
	 * @return the class, or {@code null} when the record is to be skipped
	 * @throws UnhandledEventTypeException for an event type not handled, unless skipped
	 * @throws EventPayloadException for a schema version header that is not a version number,
	 * when versions of the event type are bound
	 */
	@Nullable Class<?> targetOf(@Nullable String eventType, @Nullable String schemaVersion, String record) {
		Class<?> target = (eventType != null) ? this.targets.get(eventType) : null;
		if (target != null) {
			Map<Integer, Class<?>> bound = this.versions.get(eventType);
			return (bound != null && schemaVersion != null)
					? bound.getOrDefault(version(schemaVersion, eventType, record), target) : target;
		}
		if (this.others == OtherEventTypes.SKIP) {
			return null;
		}
		throw new UnhandledEventTypeException(record + ((eventType != null) ? " has event type '" + eventType + "'"
				: " has no '" + InboxListener.EVENT_TYPE_HEADER + "' header") + ", which " + this.listener
				+ " does not handle (it handles " + this.targets.keySet() + "); it was not applied. Handle it with "
				+ "another listener or in @InboxListener(eventTypes = ...), or skip such records with "
				+ "@InboxListener(otherEventTypes = SKIP)");
	}

	private static int version(String header, String eventType, String record) {
		try {
			return Integer.parseInt(header.trim());
		}
		catch (NumberFormatException ex) {
			throw new EventPayloadException(record + " of event type '" + eventType + "' has "
					+ InboxListener.SCHEMA_VERSION_HEADER + " header '" + header + "', which is not a version number "
					+ "(a decimal integer, as the relay writes it); the class to read it into cannot be chosen", ex);
		}
	}

	/**
	 * Read a record's value.
	 * @param mapper the application's mapper
	 * @param value the record's value, a {@code String} or {@code byte[]} of JSON
	 * @param target the class, from {@link #targetOf}
	 * @param eventType the record's event type
	 * @param record the record and its event id, for messages
	 * @return the payload
	 * @throws EventPayloadException if the value is missing or cannot be read into the class
	 */
	static Object read(JsonMapper mapper, @Nullable Object value, Class<?> target, String eventType, String record) {
		String problem;
		JacksonException cause = null;
		if (value instanceof String || value instanceof byte[]) {
			try {
				Object payload = (value instanceof String text) ? mapper.readValue(text, target)
						: mapper.readValue((byte[]) value, target);
				if (payload != null) {
					return payload;
				}
				problem = "the value is JSON null";
			}
			catch (JacksonException ex) {
				cause = ex;
				problem = ex.getOriginalMessage();
			}
		}
		else {
			problem = (value != null) ? "the value is a " + value.getClass().getName() + ", not JSON text; consume "
					+ "with a StringDeserializer or ByteArrayDeserializer" : "the record has no value";
		}
		throw new EventPayloadException(record + " of event type '" + eventType + "' cannot be read into "
				+ target.getName() + ": " + problem, cause);
	}

	/**
	 * One schema version of an event type bound to the class its payloads are read into.
	 *
	 * @param eventType the event type
	 * @param version the schema version
	 * @param type the class
	 */
	record PayloadVersion(String eventType, int version, Class<?> type) {

		/**
		 * The bindings of an annotation.
		 * @param annotations the annotation's {@code payloadVersions}
		 * @return the bindings, in their order
		 */
		static List<PayloadVersion> of(InboxPayload[] annotations) {
			return Arrays.stream(annotations)
				.map((annotation) -> new PayloadVersion(annotation.eventType(), annotation.version(),
						annotation.type()))
				.toList();
		}

	}

}
