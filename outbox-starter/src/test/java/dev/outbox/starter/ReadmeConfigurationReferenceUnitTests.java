package dev.outbox.starter;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import dev.outbox.testsupport.ConfigurationReference;

import static org.assertj.core.api.Assertions.assertThat;

class ReadmeConfigurationReferenceUnitTests {

	private static final Path METADATA = Path.of("target", "classes", "META-INF", "spring-configuration-metadata.json");

	@Test
	void readmeDocumentsEveryPropertyOfTheGeneratedMetadata() {
		assertThat(ConfigurationReference.propertyNames(METADATA)).isNotEmpty();
		assertThat(ConfigurationReference.undocumented(METADATA, Path.of("..", "README.md")))
			.as("properties missing from README's configuration reference").isEmpty();
	}

}
