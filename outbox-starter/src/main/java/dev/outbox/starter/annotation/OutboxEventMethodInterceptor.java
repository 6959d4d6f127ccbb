package dev.outbox.starter.annotation;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.expression.AnnotatedElementKey;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.expression.EvaluationContext;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

import dev.outbox.starter.InvalidOutboxEventException;
import dev.outbox.starter.Outbox;
import dev.outbox.starter.OutboxEvent;
import dev.outbox.starter.write.OutboxEventWriter;

/**
 * Publishes the {@link OutboxEvent @OutboxEvent}s of a method after it returns normally, in
 * declaration order, on the calling thread and so inside its transaction. The transaction
 * is checked before the method runs, so a call without one fails before doing anything.
 * <p>
 * Any {@link InvalidOutboxEventException} (a failing expression, a blank aggregate id, an
 * unserializable payload) is rethrown with the method and the annotation in its message; it
 * propagates out of the method call, so the transaction around it rolls back.
 */
final class OutboxEventMethodInterceptor implements MethodInterceptor {

	private final ObjectProvider<Outbox> outbox;

	private final OutboxEventExpressionEvaluator evaluator;

	private final Map<AnnotatedElementKey, List<OutboxEvent>> annotations = new ConcurrentHashMap<>(64);

	OutboxEventMethodInterceptor(ObjectProvider<Outbox> outbox, OutboxEventExpressionEvaluator evaluator) {
		this.outbox = outbox;
		this.evaluator = evaluator;
	}

	@Override
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		Object target = invocation.getThis();
		if (target == null) {
			return invocation.proceed();
		}
		Class<?> targetClass = AopUtils.getTargetClass(target);
		Method method = AopUtils.getMostSpecificMethod(invocation.getMethod(), targetClass);
		AnnotatedElementKey element = new AnnotatedElementKey(method, targetClass);
		List<OutboxEvent> events = this.annotations.computeIfAbsent(element,
				(key) -> List.copyOf(AnnotatedElementUtils.findMergedRepeatableAnnotations(method, OutboxEvent.class)));
		if (events.isEmpty()) {
			return invocation.proceed();
		}
		// Before the method body: without a transaction its own writes would commit on their
		// own and only the event would fail.
		OutboxEventWriter.requireWritableTransaction();
		Object result = invocation.proceed();
		EvaluationContext context = this.evaluator.createContext(method, invocation.getArguments(), target, result);
		Outbox outbox = this.outbox.getObject();
		for (OutboxEvent event : events) {
			publish(outbox, event, method, targetClass, element, context);
		}
		return result;
	}

	private void publish(Outbox outbox, OutboxEvent event, Method method, Class<?> targetClass,
			AnnotatedElementKey element, EvaluationContext context) {
		try {
			if (StringUtils.hasText(event.condition()) && !condition(event, element, context)) {
				return;
			}
			Object aggregateId = evaluate("aggregateId", event.aggregateId(), element, context);
			if (method.getReturnType() == void.class && "#result".equals(event.payload().trim())) {
				throw new InvalidOutboxEventException("the method returns void, so the default payload expression "
						+ "'#result' is null; set payload to an expression such as \"#p0\"");
			}
			Object payload = evaluate("payload", event.payload(), element, context);
			outbox.publish(event.aggregateType(), aggregateId.toString(), event.eventType(), payload);
		}
		catch (InvalidOutboxEventException ex) {
			String where = "@OutboxEvent(aggregateType = \"" + event.aggregateType() + "\", eventType = \""
					+ event.eventType() + "\") on " + ClassUtils.getQualifiedMethodName(method, targetClass);
			throw new InvalidOutboxEventException(where + ": " + ex.getMessage(), ex);
		}
	}

	private boolean condition(OutboxEvent event, AnnotatedElementKey element, EvaluationContext context) {
		Object value = evaluate("condition", event.condition(), element, context);
		if (value instanceof Boolean bool) {
			return bool;
		}
		throw new InvalidOutboxEventException("condition '" + event.condition() + "' must yield true or false, but "
				+ "yielded a " + value.getClass().getName());
	}

	private Object evaluate(String attribute, String expression, AnnotatedElementKey element,
			EvaluationContext context) {
		Object value;
		try {
			value = this.evaluator.evaluate(expression, element, context);
		}
		catch (RuntimeException ex) {
			throw new InvalidOutboxEventException(attribute + " expression '" + expression + "' failed: "
					+ ex.getMessage() + ". Method parameters are available by name (compile with -parameters) or as "
					+ "#p0, #p1, ..., the return value as #result", ex);
		}
		if (value == null) {
			throw new InvalidOutboxEventException(attribute + " expression '" + expression + "' yielded null. Method "
					+ "parameters are available by name (compile with -parameters) or as #p0, #p1, ..., the return "
					+ "value as #result");
		}
		return value;
	}

}
