package dev.outbox.starter.inbox.kafka;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.MethodParameter;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.kafka.support.KafkaNull;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

import dev.outbox.starter.contract.EventTypeCatalog;
import dev.outbox.starter.inbox.kafka.PayloadDispatch.PayloadVersion;

/**
 * Reads the payload parameter of an {@link InboxListener @InboxListener} method from the
 * record: the class chosen by its {@value InboxListener#EVENT_TYPE_HEADER} and
 * {@value InboxListener#SCHEMA_VERSION_HEADER} headers (see {@link PayloadDispatch}), read with
 * the application's {@code JsonMapper}. Registered with spring-kafka's listener endpoint
 * registrar, ahead of its own payload conversion.
 * <p>
 * Once every singleton exists, it decides the event types of every such method the
 * {@link InboxListenerAnnotationBeanPostProcessor} found, so a listener that handles none, one
 * its parameter cannot hold, or an invalid schema version binding fails startup.
 */
public class InboxPayloadArgumentResolver implements HandlerMethodArgumentResolver, SmartInitializingSingleton {

	private static final Log logger = LogFactory.getLog(InboxPayloadArgumentResolver.class);

	private final ObjectProvider<EventTypeCatalog> catalog;

	private final ObjectProvider<JsonMapper> jsonMapper;

	private final ObjectProvider<InboxListenerAnnotationBeanPostProcessor> listeners;

	private final Map<Method, PayloadDispatch> dispatches = new ConcurrentHashMap<>();

	private volatile @Nullable JsonMapper mapper;

	/**
	 * Create a resolver.
	 * @param catalog the application's event type catalog, if any
	 * @param jsonMapper the application's mapper (a default one if there is none)
	 * @param listeners the post-processor that found the {@code @InboxListener} methods
	 */
	public InboxPayloadArgumentResolver(ObjectProvider<EventTypeCatalog> catalog, ObjectProvider<JsonMapper> jsonMapper,
			ObjectProvider<InboxListenerAnnotationBeanPostProcessor> listeners) {
		this.catalog = catalog;
		this.jsonMapper = jsonMapper;
		this.listeners = listeners;
	}

	@Override
	public void afterSingletonsInstantiated() {
		this.listeners.ifAvailable((processor) -> processor.typedListeners().forEach(this::dispatch));
	}

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		Method method = parameter.getMethod();
		if (method == null || !AnnotatedElementUtils.hasAnnotation(method, InboxListener.class)) {
			return false;
		}
		return InboxListenerSignature.of(method, where(method)).payload() == parameter.getParameterIndex();
	}

	@Override
	public @Nullable Object resolveArgument(MethodParameter parameter, Message<?> message) {
		Method method = parameter.getMethod();
		if (method == null) {
			throw new IllegalStateException("Not a method parameter: " + parameter);
		}
		MessageHeaders headers = message.getHeaders();
		String record = "Record " + headers.get(KafkaHeaders.RECEIVED_TOPIC) + "-"
				+ headers.get(KafkaHeaders.RECEIVED_PARTITION) + "@" + headers.get(KafkaHeaders.OFFSET);
		String where = where(method);
		Object idHeader = headers.get(InboxListener.EVENT_ID_HEADER);
		String eventId = text(idHeader);
		if (!StringUtils.hasText(eventId)) {
			throw MissingEventIdException.of(record, idHeader != null, where);
		}
		String schemaVersion = text(headers.get(InboxListener.SCHEMA_VERSION_HEADER));
		record = record + " (event id " + eventId + ((schemaVersion != null) ? ", schema version " + schemaVersion : "")
				+ ")";
		String eventType = text(headers.get(InboxListener.EVENT_TYPE_HEADER));
		PayloadDispatch dispatch = dispatch(method, where);
		Class<?> target = dispatch.targetOf(eventType, schemaVersion, record);
		if (target == null || eventType == null) {
			if (logger.isDebugEnabled()) {
				logger.debug(record + " of event type " + eventType + " skipped by " + where);
			}
			ReceivedPayloads.hand(method, eventId, null);
			return null;
		}
		Object value = (message.getPayload() instanceof KafkaNull) ? null : message.getPayload();
		Object payload = PayloadDispatch.read(mapper(), value, target, eventType, record);
		ReceivedPayloads.hand(method, eventId, payload);
		return payload;
	}

	private PayloadDispatch dispatch(Method method, String where) {
		return this.dispatches.computeIfAbsent(method, (key) -> {
			InboxListener annotation = AnnotatedElementUtils.findMergedAnnotation(key, InboxListener.class);
			if (annotation == null) {
				throw new IllegalStateException(where + " is not annotated with @InboxListener");
			}
			Class<?> type = key.getParameterTypes()[InboxListenerSignature.of(key, where).payload()];
			return PayloadDispatch.of(where, type, annotation.eventTypes(), this.catalog.getIfAvailable(),
					annotation.otherEventTypes())
				.withVersions(PayloadVersion.of(annotation.payloadVersions()));
		});
	}

	private JsonMapper mapper() {
		JsonMapper current = this.mapper;
		if (current == null) {
			current = this.jsonMapper.getIfUnique(() -> JsonMapper.builder().build());
			this.mapper = current;
		}
		return current;
	}

	private static String where(Method method) {
		return "@InboxListener method " + ClassUtils.getQualifiedMethodName(method);
	}

	private static @Nullable String text(@Nullable Object header) {
		if (header instanceof byte[] bytes) {
			return new String(bytes, StandardCharsets.UTF_8);
		}
		return (header != null) ? header.toString() : null;
	}

}
