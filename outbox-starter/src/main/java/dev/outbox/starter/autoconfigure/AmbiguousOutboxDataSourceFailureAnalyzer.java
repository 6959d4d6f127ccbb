package dev.outbox.starter.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports an {@link AmbiguousOutboxDataSourceException} as Spring Boot's "APPLICATION FAILED TO
 * START": the candidate DataSource beans as the description, {@code outbox.datasource} or
 * {@code @Primary} as the action. Registered in {@code META-INF/spring.factories}.
 */
final class AmbiguousOutboxDataSourceFailureAnalyzer extends AbstractFailureAnalyzer<AmbiguousOutboxDataSourceException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, AmbiguousOutboxDataSourceException cause) {
		return new FailureAnalysis(cause.problem() + ". DataSource beans:\n - " + String.join("\n - ",
				cause.candidates()), cause.action(), cause);
	}

}
