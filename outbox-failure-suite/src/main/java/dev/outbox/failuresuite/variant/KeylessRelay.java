package dev.outbox.failuresuite.variant;

import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.producer.RoundRobinPartitioner;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.outbox.relay.OutboxRelayApplication;

/**
 * Lab only: the relay with key {@code none}, records sent to round-robin partitions. It is the
 * shipped relay application, its settings, health and roles, except that its one pipeline is wired
 * with {@link KeylessSink} (the key dropped after routing) and its producer's partitioner is
 * Kafka's {@link RoundRobinPartitioner}, so that consecutive records go to different partitions
 * rather than stick to one for a batch. Run inside the relay's executable jar
 * ({@code PropertiesLauncher} with {@code loader.main} naming this class); nothing in the jar knows
 * it, and the shipped relay has no setting that sends records without a key.
 */
public final class KeylessRelay {

	/** This class's name, for launching it without loading it (it needs the relay's classes). */
	public static final String MAIN_CLASS = "dev.outbox.failuresuite.variant.KeylessRelay";

	/** The producer setting this variant defaults: partitions taken in turn, whatever the key. */
	static final Map<String, Object> ROUND_ROBIN = Map.of("spring.kafka.producer.properties.partitioner.class",
			RoundRobinPartitioner.class.getName());

	private static final Log logger = LogFactory.getLog(KeylessRelay.class);

	private KeylessRelay() {
	}

	/**
	 * Starts the variant.
	 * @param args the relay's Spring Boot arguments
	 */
	public static void main(String[] args) {
		logger.warn("LAB-ONLY relay variant: key none; it sends records without a key to round-robin partitions, "
				+ "so an aggregate's events spread over partitions and lose their order");
		SpringApplication application = new SpringApplication(OutboxRelayApplication.class, Wiring.class);
		application.setDefaultProperties(ROUND_ROBIN);
		application.run(args);
	}

	/** Replaces the relay's pipeline by one wired with {@link KeylessSink}, before anything starts it. */
	@Configuration(proxyBeanMethods = false)
	static class Wiring {

		@Bean
		static BeanPostProcessor keylessPipeline(ListableBeanFactory beans) {
			return VariantPipeline.withSink(beans, KeylessSink::new);
		}

	}

}
