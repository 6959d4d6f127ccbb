package dev.outbox.failuresuite.variant;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.outbox.relay.OutboxRelayApplication;

/**
 * Lab only: the relay with checkpoint {@code confirm-on-send}. It is the shipped relay application,
 * its settings, health and roles, except that its one pipeline is wired with
 * {@link ConfirmOnSendSink}: source, routing and checkpoint as shipped, the sink counting a record
 * as acknowledged when the producer takes it. Run inside the relay's executable jar
 * ({@code PropertiesLauncher} with {@code loader.main} naming this class); nothing in the jar knows
 * it, and no setting of the jar reaches it.
 */
public final class ConfirmOnSendRelay {

	/** This class's name, for launching it without loading it (it needs the relay's classes). */
	public static final String MAIN_CLASS = "dev.outbox.failuresuite.variant.ConfirmOnSendRelay";

	private static final Log logger = LogFactory.getLog(ConfirmOnSendRelay.class);

	private ConfirmOnSendRelay() {
	}

	/**
	 * Starts the variant.
	 * @param args the relay's Spring Boot arguments
	 */
	public static void main(String[] args) {
		logger.warn("LAB-ONLY relay variant: checkpoint confirm-on-send; it confirms a position when the producer "
				+ "takes its records, before Kafka acknowledged them, and loses them when it dies with them unsent");
		new SpringApplication(OutboxRelayApplication.class, Wiring.class).run(args);
	}

	/** Replaces the relay's pipeline by one wired with {@link ConfirmOnSendSink}, before anything starts it. */
	@Configuration(proxyBeanMethods = false)
	static class Wiring {

		@Bean
		static BeanPostProcessor confirmOnSendPipeline(ListableBeanFactory beans) {
			return VariantPipeline.withSink(beans, ConfirmOnSendSink::new);
		}

	}

}
