package dev.outbox.failuresuite.variant;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.outbox.failuresuite.rig.Rig;
import dev.outbox.relay.OutboxRelayApplication;

/**
 * Lab only: the relay with key {@code none}, records sent to round-robin partitions. It is the
 * shipped relay application, its settings, health and roles, except that its one pipeline is wired
 * with {@link KeylessSink}: the key dropped after routing, and consecutive records placed on the
 * topic's {@link Rig#TOPIC_PARTITIONS} partitions in turn, rather than stuck to one for a batch as
 * the producer's sticky partitioning would do with keyless records. Run inside the relay's executable jar
 * ({@code PropertiesLauncher} with {@code loader.main} naming this class); nothing in the jar knows
 * it, and the shipped relay has no setting that sends records without a key.
 */
public final class KeylessRelay {

	/** This class's name, for launching it without loading it (it needs the relay's classes). */
	public static final String MAIN_CLASS = "dev.outbox.failuresuite.variant.KeylessRelay";

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
		application.run(args);
	}

	/** Replaces the relay's pipeline by one wired with {@link KeylessSink}, before anything starts it. */
	@Configuration(proxyBeanMethods = false)
	static class Wiring {

		@Bean
		static BeanPostProcessor keylessPipeline(ListableBeanFactory beans) {
			return VariantPipeline.withSink(beans,
					(producer) -> new KeylessSink(producer, Rig.TOPIC_PARTITIONS));
		}

	}

}
