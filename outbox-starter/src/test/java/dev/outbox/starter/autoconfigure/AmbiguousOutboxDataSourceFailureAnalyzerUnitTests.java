package dev.outbox.starter.autoconfigure;

import java.util.List;

import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.Test;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.context.ApplicationContextException;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.FailureHandler;

import static org.assertj.core.api.Assertions.assertThat;

class AmbiguousOutboxDataSourceFailureAnalyzerUnitTests {

	private final AmbiguousOutboxDataSourceFailureAnalyzer analyzer = new AmbiguousOutboxDataSourceFailureAnalyzer();

	@Test
	void namesTheCandidatesAsTheDescriptionAndThePropertyAsTheAction() {
		AmbiguousOutboxDataSourceException error = new AmbiguousOutboxDataSourceException(
				"The application has 2 DataSource beans and none is @Primary", List.of("orders", "reporting"));

		FailureAnalysis analysis = this.analyzer.analyze(new ApplicationContextException("Failed to start", error));

		assertThat(analysis.getDescription()).isEqualTo(
				"The application has 2 DataSource beans and none is @Primary. DataSource beans:\n - orders\n - reporting");
		assertThat(analysis.getAction()).contains("Set outbox.datasource").contains("orders, reporting")
			.contains("@Primary");
	}

	@Test
	void otherStartupFailuresAreLeftToOtherAnalyzers() {
		assertThat(this.analyzer.analyze(new IllegalStateException("not ours"))).isNull();
	}

	@Test
	void analyzerIsRegisteredInSpringFactories() {
		assertThat(SpringFactoriesLoader.forDefaultResourceLocation(getClass().getClassLoader())
			.load(FailureAnalyzer.class, null, FailureHandler.logging(LogFactory.getLog(getClass()))))
			.hasAtLeastOneElementOfType(AmbiguousOutboxDataSourceFailureAnalyzer.class);
	}

}
