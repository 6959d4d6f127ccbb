package dev.outbox.failuresuite.workload;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import dev.outbox.failuresuite.readmodel.ItemChange;
import dev.outbox.starter.OutboxEventTypes;

/**
 * The service under test: a Spring Boot application with the outbox starter and nothing else
 * (JDBC, the starter's auto-configuration: {@code Outbox}, {@code Inbox}, the migration of both
 * tables). Scenarios run it in-process for the writers and the consumer, and in a child JVM
 * ({@link WriterService}) when the service itself is killed.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class WorkloadApplication {

	/**
	 * Starts the application on a database.
	 * @param jdbcUrl the database, as superuser {@code postgres}
	 * @param poolSize connections (one per writer thread, plus the consumer's)
	 * @param writeMode the starter's {@code outbox.write-mode}
	 * @return the running context
	 */
	public static ConfigurableApplicationContext start(String jdbcUrl, int poolSize, String writeMode) {
		List<String> arguments = new ArrayList<>(List.of("--spring.datasource.url=" + jdbcUrl,
				"--spring.datasource.username=postgres", "--spring.datasource.password=",
				"--spring.datasource.hikari.maximum-pool-size=" + poolSize,
				"--spring.datasource.hikari.connection-timeout=3000", "--spring.main.banner-mode=off",
				"--spring.main.register-shutdown-hook=false", "--logging.level.root=WARN",
				"--outbox.inbox.cleanup-interval=1d", "--outbox.write-mode=" + writeMode));
		return new SpringApplicationBuilder(WorkloadApplication.class).web(WebApplicationType.NONE)
			.logStartupInfo(false)
			.run(arguments.toArray(String[]::new));
	}

	/**
	 * Declares the event types {@link OutboxTransactions} and the read-model workload (capture
	 * {@code log}) publish through {@code Outbox}.
	 * @return the declaration
	 */
	@Bean
	OutboxEventTypes workloadEventTypes() {
		return OutboxEventTypes.of((types) -> types.declare(AccountChanged.EVENT_TYPE, AccountChanged.class)
			.declare(ItemChange.EVENT_TYPE, ItemChange.class));
	}

}
