package dev.outbox.sample.order;

import java.util.SortedMap;
import java.util.TreeMap;

import dev.outbox.sample.order.events.OrderEvent;
import dev.outbox.starter.contract.EventContractVerifier;
import dev.outbox.starter.contract.PayloadSchemaGenerator;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The event contract of the sample: the schema of every order event, as the application's
 * {@code JsonMapper} writes it, is the one committed under
 * {@code src/main/resources/META-INF/outbox/schemas/<eventType>/v<N>.json}, or a compatible next
 * version. A payload record changed incompatibly fails this test; a compatible change fails it
 * too until its schema is committed, which
 * {@code ./mvnw -pl sample-order-service test -Dtest=OrderEventContractUnitTests -Doutbox.contract.write-schemas=true}
 * writes.
 */
class OrderEventContractUnitTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class));

	@Test
	void everyOrderEventSchemaIsACommittedVersion() {
		this.contextRunner.run((context) -> {
			PayloadSchemaGenerator generator = new PayloadSchemaGenerator(context.getBean(JsonMapper.class));
			SortedMap<String, JsonNode> schemas = new TreeMap<>();
			for (Class<?> type : OrderEvent.class.getPermittedSubclasses()) {
				schemas.put((String) type.getField("TYPE").get(null), generator.schemaOf(type));
			}
			assertThat(schemas).hasSize(4);
			EventContractVerifier.of(() -> schemas).verify();
		});
	}

}
