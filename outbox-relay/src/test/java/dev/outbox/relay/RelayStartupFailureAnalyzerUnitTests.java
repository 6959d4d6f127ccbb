package dev.outbox.relay;

import java.nio.file.Path;

import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.Test;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.context.ApplicationContextException;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.FailureHandler;

import dev.outbox.relay.source.RelayStartupException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@link RelayStartupException} anywhere in a startup failure's chain becomes a Description and
 * an Action, and the analyzer is registered where Spring Boot looks for it.
 */
class RelayStartupFailureAnalyzerUnitTests {

	private final RelayStartupFailureAnalyzer analyzer = new RelayStartupFailureAnalyzer();

	@Test
	void problemIsTheDescriptionAndActionIsTheActionWhileTheMessageKeepsBoth() {
		RelayStartupException error = new RelayStartupException("Kafka at k:9092 did not answer within PT3S "
				+ "(outbox.relay.kafka-startup-timeout)", "Check spring.kafka.bootstrap-servers", null);
		FailureAnalysis analysis = this.analyzer.analyze(new ApplicationContextException("Failed to start", error));
		assertThat(analysis.getDescription()).contains("outbox.relay.kafka-startup-timeout")
			.doesNotContain("Check spring.kafka.bootstrap-servers");
		assertThat(analysis.getAction()).isEqualTo("Check spring.kafka.bootstrap-servers");
		assertThat(error.getMessage()).isEqualTo("Kafka at k:9092 did not answer within PT3S "
				+ "(outbox.relay.kafka-startup-timeout). Check spring.kafka.bootstrap-servers");
	}

	@Test
	void messageWithoutASeparateActionIsTheDescriptionAndTheActionPointsToTheSettings() {
		RelayStartupException error = new RelayStartupException(
				"PostgreSQL runs with wal_level=replica; the relay needs wal_level=logical. Set it and restart PostgreSQL");
		FailureAnalysis analysis = this.analyzer.analyze(new IllegalStateException("wrapped", error));
		assertThat(analysis.getDescription()).contains(error.getMessage());
		assertThat(analysis.getAction()).isEqualTo(RelayStartupFailureAnalyzer.DEFAULT_ACTION);
	}

	@Test
	void defaultActionPointsToTheConfigurationReferenceThatExists() {
		assertThat(RelayStartupFailureAnalyzer.DEFAULT_ACTION).contains("docs/configuration.md")
			.doesNotContain("README");
		assertThat(Path.of("..", "docs", "configuration.md")).isRegularFile();
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
			.hasAtLeastOneElementOfType(RelayStartupFailureAnalyzer.class);
	}

}
