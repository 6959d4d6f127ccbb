package dev.outbox.starter.autoconfigure;

import java.sql.DatabaseMetaData;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;
import org.springframework.util.StringUtils;

/**
 * The DataSource the starter's migration runs on, and so the database role that owns the
 * tables it creates. Precedence, first match wins:
 * <ol>
 * <li>{@code outbox.flyway.user} (with {@code outbox.flyway.password});</li>
 * <li>{@code spring.flyway.user} (with {@code spring.flyway.password}), the role the
 * application's own Flyway migrates with;</li>
 * <li>the outbox's DataSource itself, with its own credentials.</li>
 * </ol>
 * The user and the password are taken as a pair from the same place: a password alone is
 * refused, naming the property. With a user, the migration connects to the outbox's database
 * (the URL of the outbox's DataSource) through a DataSource of its own, unpooled, used only
 * while the migration runs. Writing events keeps the outbox's DataSource and its role, which
 * then needs only DML on the tables.
 */
final class MigrationDataSource {

	private MigrationDataSource() {
	}

	static DataSource of(OutboxDataSource outbox, OutboxProperties.Flyway flyway, Environment environment) {
		String user = flyway.getUser();
		String password = flyway.getPassword();
		if (!StringUtils.hasText(user) && password != null) {
			throw new InvalidConfigurationPropertyValueException("outbox.flyway.password", "<hidden>",
					"A migration password needs outbox.flyway.user, the role it belongs to; set both, or neither "
							+ "to migrate with spring.flyway.user or the DataSource's own credentials");
		}
		if (!StringUtils.hasText(user)) {
			user = environment.getProperty("spring.flyway.user");
			password = environment.getProperty("spring.flyway.password");
		}
		if (!StringUtils.hasText(user)) {
			return outbox.dataSource();
		}
		return withCredentials(outbox, user, password);
	}

	private static DataSource withCredentials(OutboxDataSource outbox, String user, @Nullable String password) {
		try {
			return DataSourceBuilder.derivedFrom(outbox.dataSource())
				.type(SimpleDriverDataSource.class)
				.username(user)
				.password(password)
				.build();
		}
		catch (RuntimeException ex) {
			// A DataSource type Boot cannot read its URL from: take the URL its connections report.
			return DataSourceBuilder.create()
				.type(SimpleDriverDataSource.class)
				.url(url(outbox))
				.username(user)
				.password(password)
				.build();
		}
	}

	private static String url(OutboxDataSource outbox) {
		try {
			String url = JdbcUtils.extractDatabaseMetaData(outbox.dataSource(), DatabaseMetaData::getURL);
			if (url == null) {
				throw new IllegalStateException("the DataSource reports no URL");
			}
			return url;
		}
		catch (MetaDataAccessException | IllegalStateException ex) {
			throw new IllegalStateException("Cannot migrate the outbox's tables as outbox.flyway.user (or "
					+ "spring.flyway.user): the URL of " + outbox + " cannot be read (" + ex.getMessage() + "). Use a "
					+ "DataSource type Spring Boot's DataSourceBuilder knows (HikariCP, for example)", ex);
		}
	}

}
