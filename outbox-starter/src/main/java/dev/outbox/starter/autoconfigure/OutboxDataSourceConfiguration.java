package dev.outbox.starter.autoconfigure;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@link OutboxDataSource} bean, imported by each of the starter's auto-configurations, so
 * that the outbox, the inbox and the health indicator share it and each also works alone.
 */
@Configuration(proxyBeanMethods = false)
class OutboxDataSourceConfiguration {

	// Not named outboxDataSource: an application may well call its own DataSource bean that.
	@Bean
	@ConditionalOnMissingBean
	OutboxDataSource outboxDataSourceChoice(ConfigurableListableBeanFactory beanFactory, OutboxProperties properties) {
		return OutboxDataSource.resolve(beanFactory, properties.getDatasource());
	}

}
