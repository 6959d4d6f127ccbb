package dev.outbox.starter.inbox.kafka;

import java.util.ArrayList;
import java.util.List;

import org.springframework.core.Ordered;
import org.springframework.kafka.annotation.KafkaListenerConfigurer;
import org.springframework.kafka.config.KafkaListenerEndpointRegistrar;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;

/**
 * Adds the {@link InboxPayloadArgumentResolver} to spring-kafka's custom argument resolvers,
 * keeping those the application registered. It runs last, so an application configurer that
 * sets the list does not drop it.
 */
public class InboxKafkaListenerConfigurer implements KafkaListenerConfigurer, Ordered {

	private final InboxPayloadArgumentResolver resolver;

	/**
	 * Create a configurer.
	 * @param resolver the resolver of typed payloads
	 */
	public InboxKafkaListenerConfigurer(InboxPayloadArgumentResolver resolver) {
		this.resolver = resolver;
	}

	@Override
	public void configureKafkaListeners(KafkaListenerEndpointRegistrar registrar) {
		List<HandlerMethodArgumentResolver> resolvers = new ArrayList<>(registrar.getCustomMethodArgumentResolvers());
		if (!resolvers.contains(this.resolver)) {
			resolvers.add(0, this.resolver);
		}
		registrar.setCustomMethodArgumentResolvers(resolvers.toArray(HandlerMethodArgumentResolver[]::new));
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
