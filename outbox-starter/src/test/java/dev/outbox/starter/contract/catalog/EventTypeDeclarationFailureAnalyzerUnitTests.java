package dev.outbox.starter.contract.catalog;

import java.util.List;

import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.Test;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.context.ApplicationContextException;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.FailureHandler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An invalid event type declaration fails startup with Spring Boot's report: every problem as
 * the description, the fix as the action.
 */
class EventTypeDeclarationFailureAnalyzerUnitTests {

	private final EventTypeDeclarationFailureAnalyzer analyzer = new EventTypeDeclarationFailureAnalyzer();

	@Test
	void reportsEachProblemAsTheDescriptionAndTheFixAsTheAction() {
		EventTypeDeclarationException error = new EventTypeDeclarationException("Conflicting event type declarations",
				List.of("event type 'A' ...", "event type 'B' ..."), "Rename one.");

		FailureAnalysis analysis = this.analyzer.analyze(new ApplicationContextException("Failed to start", error));

		assertThat(analysis.getDescription())
			.isEqualTo("Conflicting event type declarations:\n - event type 'A' ...\n - event type 'B' ...");
		assertThat(analysis.getAction()).isEqualTo("Rename one.");
		assertThat(error.getMessage()).isEqualTo(analysis.getDescription() + "\nRename one.");
	}

	@Test
	void otherStartupFailuresAreLeftToOtherAnalyzers() {
		assertThat(this.analyzer.analyze(new IllegalStateException("not ours"))).isNull();
	}

	@Test
	void analyzerIsRegisteredInSpringFactories() {
		// Some of Boot's own analyzers need constructor arguments a bare loader cannot give: skipped.
		assertThat(SpringFactoriesLoader.forDefaultResourceLocation(getClass().getClassLoader())
			.load(FailureAnalyzer.class, null, FailureHandler.logging(LogFactory.getLog(getClass()))))
			.hasAtLeastOneElementOfType(EventTypeDeclarationFailureAnalyzer.class);
	}

}
