package dev.outbox.relay;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import dev.outbox.relay.source.RelayStartupException;

/**
 * Reports a {@link RelayStartupException} as Spring Boot's "APPLICATION FAILED TO START" with a
 * Description (what is wrong, naming the setting) and an Action (the fix), instead of a stack
 * trace. Registered in {@code META-INF/spring.factories}.
 */
final class RelayStartupFailureAnalyzer extends AbstractFailureAnalyzer<RelayStartupException> {

	static final String DEFAULT_ACTION = "Fix what the description names (every setting is listed in "
			+ "docs/configuration.md, the configuration reference), then start the relay again.";

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, RelayStartupException cause) {
		String action = (cause.action() != null) ? cause.action() : DEFAULT_ACTION;
		return new FailureAnalysis("The outbox relay cannot start: " + cause.problem(), action, cause);
	}

}
