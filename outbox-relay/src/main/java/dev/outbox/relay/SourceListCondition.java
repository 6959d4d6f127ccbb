package dev.outbox.relay;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Whether {@code outbox.relay.sources} lists sources (bound as Boot binds it, from properties,
 * YAML or environment variables alike); {@link Flat} is the opposite, the flat single source.
 */
class SourceListCondition implements Condition {

	@Override
	public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
		return listed(context);
	}

	static boolean listed(ConditionContext context) {
		return listed(Binder.get(context.getEnvironment()));
	}

	static boolean listed(Binder binder) {
		return binder
			.bind("outbox.relay.sources", Bindable.listOf(RelayProperties.Source.class))
			.map((sources) -> !sources.isEmpty())
			.orElse(false);
	}

	/** No list: the flat settings are the one source. */
	static final class Flat implements Condition {

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			return !listed(context);
		}

	}

}
