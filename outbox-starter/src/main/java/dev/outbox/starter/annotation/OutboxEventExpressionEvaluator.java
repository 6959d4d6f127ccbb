package dev.outbox.starter.annotation;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.context.expression.AnnotatedElementKey;
import org.springframework.context.expression.BeanFactoryResolver;
import org.springframework.context.expression.CachedExpressionEvaluator;
import org.springframework.context.expression.MethodBasedEvaluationContext;
import org.springframework.core.SpringProperties;
import org.springframework.expression.EvaluationContext;
import org.springframework.expression.Expression;
import org.springframework.expression.spel.SpelCompilerMode;
import org.springframework.expression.spel.SpelParserConfiguration;
import org.springframework.expression.spel.standard.SpelExpressionParser;

/**
 * Parses (once, cached) and evaluates the SpEL expressions of
 * {@link dev.outbox.starter.OutboxEvent @OutboxEvent}. Variables: the method's parameters by
 * name and as {@code #p0}/{@code #a0}, the return value as {@code #result}; {@code @name}
 * resolves beans; the root object exposes {@code method}, {@code args} and {@code target}.
 * Thread-safe.
 */
final class OutboxEventExpressionEvaluator extends CachedExpressionEvaluator {

	private final Map<ExpressionKey, Expression> cache = new ConcurrentHashMap<>(64);

	private final BeanFactoryResolver beanResolver;

	OutboxEventExpressionEvaluator(BeanFactory beanFactory) {
		super(parser(beanFactory));
		this.beanResolver = new BeanFactoryResolver(beanFactory);
	}

	/**
	 * A parser whose expressions are compiled to bytecode once they have run often enough, and
	 * interpreted again should a compiled one fail ({@link SpelCompilerMode#MIXED}): the
	 * expressions run on every event, and interpreted SpEL reflects on every call. An application
	 * that chose a mode itself ({@code spring.expression.compiler.mode}) keeps its choice.
	 */
	private static SpelExpressionParser parser(BeanFactory beanFactory) {
		if (SpringProperties.getProperty(SpelParserConfiguration.SPRING_EXPRESSION_COMPILER_MODE_PROPERTY_NAME) != null) {
			return new SpelExpressionParser();
		}
		ClassLoader classLoader = (beanFactory instanceof ConfigurableBeanFactory configurable)
				? configurable.getBeanClassLoader() : null;
		return new SpelExpressionParser(new SpelParserConfiguration(SpelCompilerMode.MIXED, classLoader));
	}

	EvaluationContext createContext(Method method, @Nullable Object[] args, Object target,
			@Nullable Object result) {
		MethodBasedEvaluationContext context = new MethodBasedEvaluationContext(new Root(method, args, target), method,
				args, getParameterNameDiscoverer());
		context.setVariable("result", result);
		context.setBeanResolver(this.beanResolver);
		return context;
	}

	@Nullable Object evaluate(String expression, AnnotatedElementKey element, EvaluationContext context) {
		return getExpression(this.cache, element, expression).getValue(context);
	}

	/**
	 * Root object of the expressions.
	 *
	 * @param method the annotated method
	 * @param args the arguments of the call
	 * @param target the target bean
	 */
	record Root(Method method, @Nullable Object[] args, Object target) {
	}

}
