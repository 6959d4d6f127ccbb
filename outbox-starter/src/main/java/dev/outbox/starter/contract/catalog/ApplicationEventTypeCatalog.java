package dev.outbox.starter.contract.catalog;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.aop.framework.autoproxy.AutoProxyUtils;
import org.springframework.aop.scope.ScopedObject;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.ResourceLoaderAware;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.util.Assert;
import org.springframework.util.ClassUtils;

import dev.outbox.starter.OutboxEventTypes;
import dev.outbox.starter.contract.EventTypeCatalog;
import dev.outbox.starter.contract.EventTypeDeclaration;

/**
 * The {@link EventTypeCatalog} of a Spring application, collected from three sources:
 * <ol>
 * <li>{@link dev.outbox.starter.OutboxEvent @OutboxEvent} methods of the beans (see
 * {@link OutboxEventMethods} for the payload type rule);</li>
 * <li>{@link dev.outbox.starter.OutboxDomainEvent} classes in the application's
 * auto-configuration packages (see {@link DomainEventTypes}), when it has any (a
 * {@code @SpringBootApplication} or {@code @AutoConfigurationPackage} registers them);</li>
 * <li>{@link OutboxEventTypes} beans.</li>
 * </ol>
 * The catalog is collected once, when first read or at the latest once every singleton is
 * created ({@link SmartInitializingSingleton}), so that an invalid declaration fails startup
 * before the application takes traffic. It fails with an
 * {@link EventTypeDeclarationException} that lists every problem: an event type declared with two payload types (both declarations
 * named), and, when undeclared event types are refused, an {@code @OutboxEvent} whose payload
 * type cannot be known (the method named, with the fix). When undeclared event types are
 * accepted ({@code outbox.contract.require-declared-event-types=false}), such a method is
 * left out of the catalog instead: its events are published, undeclared. Thread-safe.
 */
public class ApplicationEventTypeCatalog
		implements EventTypeCatalog, BeanFactoryAware, EnvironmentAware, ResourceLoaderAware, SmartInitializingSingleton {

	private final boolean requireDeclared;

	private @Nullable ConfigurableListableBeanFactory beanFactory;

	private @Nullable Environment environment;

	private @Nullable ResourceLoader resourceLoader;

	private volatile @Nullable EventTypeCatalog catalog;

	/**
	 * Create a catalog.
	 * @param requireDeclared whether publishing an undeclared event type fails
	 * ({@code outbox.contract.require-declared-event-types}); if so, an {@code @OutboxEvent}
	 * without a known payload type fails startup, else it is left out
	 */
	public ApplicationEventTypeCatalog(boolean requireDeclared) {
		this.requireDeclared = requireDeclared;
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		Assert.isInstanceOf(ConfigurableListableBeanFactory.class, beanFactory,
				"ApplicationEventTypeCatalog needs a ConfigurableListableBeanFactory");
		this.beanFactory = (ConfigurableListableBeanFactory) beanFactory;
	}

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void setResourceLoader(ResourceLoader resourceLoader) {
		this.resourceLoader = resourceLoader;
	}

	/**
	 * Collect the catalog now, if not yet done, so that invalid declarations fail startup.
	 */
	@Override
	public void afterSingletonsInstantiated() {
		catalog();
	}

	@Override
	public Collection<EventTypeDeclaration> declarations() {
		return catalog().declarations();
	}

	@Override
	public Optional<EventTypeDeclaration> find(String eventType) {
		return catalog().find(eventType);
	}

	private EventTypeCatalog catalog() {
		EventTypeCatalog catalog = this.catalog;
		if (catalog == null) {
			synchronized (this) {
				catalog = this.catalog;
				if (catalog == null) {
					catalog = collect();
					this.catalog = catalog;
				}
			}
		}
		return catalog;
	}

	private EventTypeCatalog collect() {
		ConfigurableListableBeanFactory beanFactory = this.beanFactory;
		Assert.state(beanFactory != null && this.environment != null && this.resourceLoader != null,
				"ApplicationEventTypeCatalog is not initialized by a bean factory");
		List<EventTypeDeclaration> declarations = new ArrayList<>();
		List<String> problems = new ArrayList<>();
		for (Class<?> beanClass : beanClasses(beanFactory)) {
			OutboxEventMethods.collect(beanClass, declarations, problems);
		}
		if (AutoConfigurationPackages.has(beanFactory)) {
			DomainEventTypes.collect(AutoConfigurationPackages.get(beanFactory), this.environment,
					this.resourceLoader, declarations);
		}
		for (Map.Entry<String, OutboxEventTypes> bean : beanFactory.getBeansOfType(OutboxEventTypes.class)
			.entrySet()) {
			bean.getValue().eventTypes().forEach((eventType, payloadType) -> declarations
				.add(new EventTypeDeclaration(eventType, payloadType, "OutboxEventTypes bean '" + bean.getKey() + "'")));
		}
		if (this.requireDeclared && !problems.isEmpty()) {
			throw new EventTypeDeclarationException("@OutboxEvent methods whose payload type is not known at "
					+ "startup, so their event types cannot be declared", problems,
					"Set payloadType on each as its message says (or set "
							+ "outbox.contract.require-declared-event-types=false to publish undeclared event types).");
		}
		return DeclaredEventTypeCatalog.of(declarations);
	}

	/**
	 * The classes of the beans, each once, in bean definition order: the target class of a
	 * proxied bean (as the auto-proxy creators and the {@code @OutboxEvent} post-processor
	 * record it), the user class of a CGLIB subclass. A scoped proxy is skipped; its target
	 * bean is a definition of its own.
	 */
	private static Set<Class<?>> beanClasses(ConfigurableListableBeanFactory beanFactory) {
		Set<Class<?>> classes = new LinkedHashSet<>();
		for (String beanName : beanFactory.getBeanDefinitionNames()) {
			Class<?> type = beanClass(beanFactory, beanName);
			if (type != null && !ScopedObject.class.isAssignableFrom(type) && !Proxy.isProxyClass(type)) {
				classes.add(ClassUtils.getUserClass(type));
			}
		}
		return classes;
	}

	private static @Nullable Class<?> beanClass(ConfigurableListableBeanFactory beanFactory, String beanName) {
		try {
			if (beanFactory.containsBeanDefinition(beanName)) {
				Object target = beanFactory.getMergedBeanDefinition(beanName)
					.getAttribute(AutoProxyUtils.ORIGINAL_TARGET_CLASS_ATTRIBUTE);
				if (target instanceof Class<?> targetClass) {
					return targetClass;
				}
			}
			return beanFactory.getType(beanName, false);
		}
		catch (RuntimeException ex) {
			// A definition whose type cannot be resolved (abstract, or an unresolvable class):
			// no bean of it publishes, as Spring's @EventListener discovery also assumes.
			return null;
		}
	}

}
