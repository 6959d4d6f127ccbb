package dev.outbox.starter.autoconfigure;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.outbox.starter.health.OutboxHealthGroups;
import dev.outbox.starter.health.ReplicationSlotHealthIndicator;

/**
 * Auto-configuration of the {@code outbox} health indicator, which reports the relay's
 * replication slot. Active with Spring Boot's health support on the classpath, unless
 * {@code management.health.outbox.enabled=false} or {@code outbox.enabled=false}.
 * <p>
 * The indicator is informational: it stays out of the service's overall status (unless
 * {@code outbox.health.affects-overall-status=true}) and of the liveness and readiness groups,
 * and has a group of its own; see {@link OutboxHealthGroups}.
 */
@AutoConfiguration(after = { DataSourceAutoConfiguration.class, OutboxAutoConfiguration.class })
@ConditionalOnClass({ HealthIndicator.class, JdbcTemplate.class })
@ConditionalOnBean(DataSource.class)
@ConditionalOnBooleanProperty(name = "outbox.enabled", matchIfMissing = true)
@ConditionalOnEnabledHealthIndicator("outbox")
@EnableConfigurationProperties(OutboxProperties.class)
@Import(OutboxDataSourceConfiguration.class)
public final class OutboxHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "outboxHealthIndicator")
	@Nullable ReplicationSlotHealthIndicator outboxHealthIndicator(OutboxDataSource outboxDataSource,
			OutboxProperties properties) {
		return outboxDataSource.ifPostgreSql("the replication slot health indicator",
				() -> new ReplicationSlotHealthIndicator(outboxDataSource.dataSource(),
						ValidatedOutboxProperties.slotName(properties),
						ValidatedOutboxProperties.retainedWalWarning(properties),
						ValidatedOutboxProperties.retainedWalCritical(properties)));
	}

	/**
	 * The indicator's place among the health groups, where the health endpoint is on the class
	 * path.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.SecurityContext")
	static final class OutboxHealthGroupsConfiguration {

		@Bean
		static OutboxHealthGroups outboxHealthGroups(Environment environment) {
			// Static, and the property read from the environment rather than OutboxProperties:
			// a post-processor of the health groups bean is created early.
			return new OutboxHealthGroups(
					environment.getProperty("outbox.health.affects-overall-status", Boolean.class, false));
		}

	}

}
