package dev.outbox.starter.autoconfigure;

import javax.sql.DataSource;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.outbox.starter.health.ReplicationSlotHealthIndicator;

/**
 * Auto-configuration of the {@code outbox} health indicator, which reports the relay's
 * replication slot. Active with Spring Boot's health support on the classpath, unless
 * {@code management.health.outbox.enabled=false} or {@code outbox.enabled=false}.
 * <p>
 * The indicator is informational: it is added to no health group, and in particular not to
 * {@code liveness}; see {@link ReplicationSlotHealthIndicator}.
 */
@AutoConfiguration(after = DataSourceAutoConfiguration.class)
@ConditionalOnClass({ HealthIndicator.class, JdbcTemplate.class })
@ConditionalOnSingleCandidate(DataSource.class)
@ConditionalOnBooleanProperty(name = "outbox.enabled", matchIfMissing = true)
@ConditionalOnEnabledHealthIndicator("outbox")
@EnableConfigurationProperties(OutboxProperties.class)
public final class OutboxHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "outboxHealthIndicator")
	ReplicationSlotHealthIndicator outboxHealthIndicator(DataSource dataSource, OutboxProperties properties) {
		return new ReplicationSlotHealthIndicator(dataSource, ValidatedOutboxProperties.slotName(properties),
				ValidatedOutboxProperties.retainedWalWarning(properties),
				ValidatedOutboxProperties.retainedWalCritical(properties));
	}

}
