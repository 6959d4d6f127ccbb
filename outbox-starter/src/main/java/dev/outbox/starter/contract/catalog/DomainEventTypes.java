package dev.outbox.starter.contract.catalog;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.type.filter.AssignableTypeFilter;
import org.springframework.util.ClassUtils;

import dev.outbox.starter.OutboxDomainEvent;
import dev.outbox.starter.contract.EventTypeDeclaration;

/**
 * The event types of the {@link OutboxDomainEvent} classes in some packages, found by a
 * class-path scan (as Spring finds components, without loading other classes).
 * <p>
 * An event's type is an instance method, so only a static rule can be applied: a concrete,
 * top-level or static nested class that keeps the interface's default
 * {@link OutboxDomainEvent#eventType() eventType()} (the simple class name) and
 * {@link OutboxDomainEvent#payload() payload()} (the event itself) declares its simple name
 * with itself as payload type. A class that overrides either is skipped, with a log line at
 * INFO: its event type must be declared with an {@link dev.outbox.starter.OutboxEventTypes}
 * bean.
 */
final class DomainEventTypes {

	private static final Log logger = LogFactory.getLog(DomainEventTypes.class);

	private DomainEventTypes() {
	}

	/**
	 * Scan packages for domain event classes.
	 * @param packages the base packages, usually the application's auto-configuration packages
	 * @param environment the environment, for the scanner
	 * @param resourceLoader the resource loader whose class loader loads the classes
	 * @param declarations receives a declaration for each class that keeps the defaults
	 */
	static void collect(List<String> packages, Environment environment, ResourceLoader resourceLoader,
			List<EventTypeDeclaration> declarations) {
		ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false,
				environment) {

			@Override
			protected boolean isCandidateComponent(AnnotatedBeanDefinition definition) {
				return definition.getMetadata().isIndependent() && definition.getMetadata().isConcrete();
			}

		};
		scanner.setResourceLoader(resourceLoader);
		scanner.addIncludeFilter(new AssignableTypeFilter(OutboxDomainEvent.class));
		Set<String> classNames = new TreeSet<>();
		for (String basePackage : packages) {
			for (BeanDefinition candidate : scanner.findCandidateComponents(basePackage)) {
				classNames.add(candidate.getBeanClassName());
			}
		}
		for (String className : classNames) {
			Class<?> type = ClassUtils.resolveClassName(className, resourceLoader.getClassLoader());
			if (!OutboxDomainEvent.class.isAssignableFrom(type)) {
				continue;
			}
			if (keepsDefault(type, "eventType") && keepsDefault(type, "payload")) {
				declarations.add(new EventTypeDeclaration(type.getSimpleName(), type,
						"OutboxDomainEvent class " + type.getName()));
			}
			else if (logger.isInfoEnabled()) {
				logger.info("OutboxDomainEvent class " + type.getName() + " overrides eventType() or payload(), so "
						+ "its event type is not known before it is published; declare it with an OutboxEventTypes "
						+ "bean");
			}
		}
	}

	private static boolean keepsDefault(Class<?> type, String methodName) {
		Method method = ClassUtils.getMethod(type, methodName);
		return method.getDeclaringClass() == OutboxDomainEvent.class;
	}

}
