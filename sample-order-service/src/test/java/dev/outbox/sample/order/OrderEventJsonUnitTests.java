package dev.outbox.sample.order;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import dev.outbox.sample.order.events.OrderEvent;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The documented JSON of every order event ({@code events/<TYPE>.json}) is exactly what the
 * records serialize to with the application's {@code JsonMapper}, the one the starter uses to
 * write payloads: the documentation cannot drift from the code.
 */
class OrderEventJsonUnitTests {

	private static final Path EXAMPLES = Path.of("events");

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class));

	@Test
	void everyEventTypeHasADocumentedExampleThatRoundTripsUnchanged() {
		this.contextRunner.run(context -> {
			JsonMapper json = context.getBean(JsonMapper.class);
			for (Class<?> type : OrderEvent.class.getPermittedSubclasses()) {
				String eventType = (String) type.getField("TYPE").get(null);
				Path example = EXAMPLES.resolve(eventType + ".json");
				assertThat(example).as("documented example of %s", type.getSimpleName()).exists();
				JsonNode documented = json.readTree(Files.readString(example));

				Object event = json.readValue(documented.toString(), type);
				JsonNode serialized = json.readTree(json.writeValueAsString(event));

				assertThat(serialized).as("%s as serialized", example).isEqualTo(documented);
			}
		});
	}

	@Test
	void noExampleDocumentsAnEventTypeThatDoesNotExist() throws Exception {
		String[] types = Arrays.stream(OrderEvent.class.getPermittedSubclasses()).map(type -> {
			try {
				return type.getField("TYPE").get(null) + ".json";
			}
			catch (ReflectiveOperationException ex) {
				throw new IllegalStateException(ex);
			}
		}).toArray(String[]::new);
		try (var files = Files.list(EXAMPLES)) {
			assertThat(files.map(file -> file.getFileName().toString())).containsExactlyInAnyOrder(types);
		}
	}

}
