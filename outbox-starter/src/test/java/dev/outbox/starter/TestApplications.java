package dev.outbox.starter;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.persistence.autoconfigure.EntityScan;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.jpa.repository.config.EnableJpaRepositories;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.outbox.starter.autoconfigure.OutboxAutoConfiguration;
import dev.outbox.starter.jpa.PurchaseOrder;
import dev.outbox.starter.jpa.PurchaseOrderService;
import dev.outbox.testsupport.TestDatabase;

/**
 * The applications the integration tests run: real Spring Boot contexts, with a Hikari pool
 * on the test database, the application's own Flyway migrations and the starter.
 */
public final class TestApplications {

	private TestApplications() {
	}

	/**
	 * Start an application.
	 * @param database the test database
	 * @param application {@link JdbcApplication} or {@link JpaApplication}
	 * @param properties extra properties
	 * @return the running context
	 */
	public static ConfigurableApplicationContext start(TestDatabase database, Class<?> application, String... properties) {
		List<String> all = new ArrayList<>(List.of("spring.datasource.url=" + database.jdbcUrl(),
				"spring.datasource.username=" + database.username(),
				"spring.datasource.password=" + database.password(), "spring.datasource.hikari.maximum-pool-size=3",
				"spring.jpa.open-in-view=false", "spring.jpa.hibernate.ddl-auto=none"));
		all.addAll(List.of(properties));
		return new SpringApplicationBuilder(application).web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.properties(all.toArray(new String[0]))
			.run();
	}

	/**
	 * Plain JDBC: {@code DataSourceTransactionManager}, {@code JdbcTemplate}, AspectJ-style
	 * auto-proxying ({@code AopAutoConfiguration}).
	 */
	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
			TransactionAutoConfiguration.class, JdbcTemplateAutoConfiguration.class, JacksonAutoConfiguration.class,
			FlywayAutoConfiguration.class, AopAutoConfiguration.class, OutboxAutoConfiguration.class })
	public static class JdbcApplication {

		@Bean
		OrderService orderService(JdbcTemplate jdbcTemplate) {
			return new OrderService(jdbcTemplate);
		}

		@Bean
		AuditService auditService() {
			return new AuditService();
		}

		/**
		 * The event types only {@code Outbox.publish} calls and application events publish:
		 * this application registers no auto-configuration package, so its
		 * {@code OutboxDomainEvent} classes are not scanned.
		 */
		@Bean
		OutboxEventTypes testEventTypes() {
			return OutboxEventTypes.of((types) -> types.declare("CustomerRegistered", CustomerRegistered.class)
				.declare("Odd\\Type", Map.class));
		}

	}

	/**
	 * JPA: Hibernate, {@code JpaTransactionManager}, Spring Data JPA repositories; only the
	 * transaction infrastructure's auto-proxying. Its auto-configuration package is that of
	 * its entities, so the domain event {@code OrderPlaced} there is declared by the scan.
	 */
	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ DataSourceAutoConfiguration.class, HibernateJpaAutoConfiguration.class,
			DataJpaRepositoriesAutoConfiguration.class, TransactionAutoConfiguration.class,
			JdbcTemplateAutoConfiguration.class, JacksonAutoConfiguration.class, FlywayAutoConfiguration.class,
			OutboxAutoConfiguration.class })
	@EntityScan(basePackageClasses = PurchaseOrder.class)
	@AutoConfigurationPackage(basePackageClasses = PurchaseOrder.class)
	@EnableJpaRepositories(basePackageClasses = PurchaseOrder.class)
	public static class JpaApplication {

		@Bean
		PurchaseOrderService purchaseOrderService(dev.outbox.starter.jpa.PurchaseOrderRepository repository) {
			return new PurchaseOrderService(repository);
		}

	}

}
