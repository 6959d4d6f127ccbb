package dev.outbox.sample;

import java.time.Clock;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * An order service written the way the outbox starter expects: business changes and their
 * events commit in one PostgreSQL transaction, the relay carries the events to Kafka, and the
 * service's own consumer folds them into a read model.
 */
@SpringBootApplication
public class SampleOrderServiceApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleOrderServiceApplication.class, args);
	}

	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

}
