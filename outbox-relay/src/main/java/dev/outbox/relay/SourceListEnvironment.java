package dev.outbox.relay;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * With {@code outbox.relay.sources} and no {@code spring.datasource.url}, leaves out Boot's
 * DataSource, which would fail for want of a URL: every source opens its own connections, so the
 * relay needs none. With a URL, Boot's DataSource is made as usual (and unused by the sources).
 */
class SourceListEnvironment implements EnvironmentPostProcessor {

	private static final String EXCLUDE = "spring.autoconfigure.exclude";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (StringUtils.hasText(environment.getProperty("spring.datasource.url")) || !listed(environment)) {
			return;
		}
		String excluded = environment.getProperty(EXCLUDE, "");
		String exclude = (excluded.isBlank() ? "" : excluded + ",") + DataSourceAutoConfiguration.class.getName();
		environment.getPropertySources()
			.addFirst(new MapPropertySource("outboxRelaySources", Map.of(EXCLUDE, exclude)));
	}

	private static boolean listed(ConfigurableEnvironment environment) {
		return SourceListCondition.listed(Binder.get(environment));
	}

}
