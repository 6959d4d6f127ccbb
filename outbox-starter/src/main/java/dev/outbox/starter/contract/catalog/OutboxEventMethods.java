package dev.outbox.starter.contract.catalog;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.core.GenericTypeResolver;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;

import dev.outbox.starter.OutboxEvent;
import dev.outbox.starter.OutboxEvents;
import dev.outbox.starter.contract.EventTypeDeclaration;

/**
 * The event types the {@link OutboxEvent @OutboxEvent} methods of one bean class declare.
 * The payload type is the annotation's {@link OutboxEvent#payloadType() payloadType} when
 * set, else the method's return type (resolved against the bean class, for generic
 * methods) when the payload is the default {@code "#result"}. Anything else (another payload
 * expression, a {@code void} or {@code Object} return type) gives no payload type, and is
 * reported as a problem naming the method and the fix.
 */
final class OutboxEventMethods {

	private OutboxEventMethods() {
	}

	/**
	 * Collect the declarations of a bean class.
	 * @param beanClass the user class of a bean (not a proxy class)
	 * @param declarations receives the declarations
	 * @param problems receives a message for each annotation that gives no payload type
	 */
	static void collect(Class<?> beanClass, List<EventTypeDeclaration> declarations, List<String> problems) {
		if (!AnnotationUtils.isCandidateClass(beanClass, OutboxEvent.class)
				&& !AnnotationUtils.isCandidateClass(beanClass, OutboxEvents.class)) {
			return;
		}
		Map<Method, Set<OutboxEvent>> methods;
		try {
			methods = MethodIntrospector.selectMethods(beanClass,
					(MethodIntrospector.MetadataLookup<Set<OutboxEvent>>) (method) -> {
						Set<OutboxEvent> events = AnnotatedElementUtils.findMergedRepeatableAnnotations(method,
								OutboxEvent.class);
						return events.isEmpty() ? null : events;
					});
		}
		catch (Throwable ex) {
			// An unresolvable type in a method signature: the class's methods cannot be read,
			// and Spring's own @EventListener discovery skips such a class in the same way.
			return;
		}
		methods.entrySet()
			.stream()
			.sorted(Map.Entry.comparingByKey((a, b) -> a.toGenericString().compareTo(b.toGenericString())))
			.forEach((entry) -> {
				for (OutboxEvent event : entry.getValue()) {
					collect(beanClass, entry.getKey(), event, declarations, problems);
				}
			});
	}

	private static void collect(Class<?> beanClass, Method method, OutboxEvent event,
			List<EventTypeDeclaration> declarations, List<String> problems) {
		String where = "@OutboxEvent(eventType = \"" + event.eventType() + "\") on " + beanClass.getName() + "."
				+ method.getName() + "(..)";
		boolean resultPayload = "#result".equals(event.payload().trim());
		Class<?> returnType = GenericTypeResolver.resolveReturnType(method, beanClass);
		if (resultPayload && (returnType == void.class || returnType == Void.class)) {
			problems.add(where + " returns void, so the default payload '#result' is null: set payload to an "
					+ "expression such as \"#p0\" and payloadType to its Java type");
			return;
		}
		if (event.payloadType() != void.class) {
			declarations.add(new EventTypeDeclaration(event.eventType(), event.payloadType(), where));
			return;
		}
		if (!resultPayload) {
			problems.add(where + " has the payload expression '" + event.payload() + "', whose type is not known "
					+ "before it runs: set payloadType to the Java type it yields, for example payloadType = "
					+ "OrderPlaced.class");
			return;
		}
		if (returnType == Object.class) {
			problems.add(where + " returns Object, which says nothing of the payload: set payloadType to the Java "
					+ "type of the value it returns");
			return;
		}
		declarations.add(new EventTypeDeclaration(event.eventType(), returnType, where));
	}

}
