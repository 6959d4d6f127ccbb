package dev.outbox.relay;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import dev.outbox.testsupport.ConfigurationReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every property in the generated configuration metadata of the relay ({@code outbox.relay.*}) has a row in
 * the configuration reference, {@code docs/configuration.md}.
 */
class ConfigurationReferenceDocumentedUnitTests {

	private static final Path METADATA = Path.of("target", "classes", "META-INF", "spring-configuration-metadata.json");

	private static final Path REFERENCE = Path.of("..", "docs", "configuration.md");

	@Test
	void configurationReferenceDocumentsEveryPropertyOfTheGeneratedMetadata() {
		assertThat(ConfigurationReference.propertyNames(METADATA)).isNotEmpty();
		assertThat(ConfigurationReference.undocumented(METADATA, REFERENCE))
			.as("properties missing from the configuration reference " + REFERENCE).isEmpty();
	}

}
