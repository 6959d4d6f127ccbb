package dev.outbox.relay;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The relay: run it beside a service with
 * {@code java -jar outbox-relay.jar --spring.datasource.url=... --spring.kafka.bootstrap-servers=...}.
 */
@SpringBootApplication
public class OutboxRelayApplication {

	/**
	 * Starts the relay.
	 * @param args Spring Boot arguments
	 */
	public static void main(String[] args) {
		SpringApplication.run(OutboxRelayApplication.class, args);
	}

}
