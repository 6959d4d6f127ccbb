package dev.outbox.starter.contract.catalog;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports an {@link EventTypeDeclarationException} as Spring Boot's "APPLICATION FAILED TO
 * START", with the problems as the description and the fix as the action, instead of a stack
 * trace. Registered in {@code META-INF/spring.factories}.
 */
final class EventTypeDeclarationFailureAnalyzer extends AbstractFailureAnalyzer<EventTypeDeclarationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, EventTypeDeclarationException cause) {
		return new FailureAnalysis(cause.summary() + ":\n - " + String.join("\n - ", cause.problems()), cause.action(),
				cause);
	}

}
