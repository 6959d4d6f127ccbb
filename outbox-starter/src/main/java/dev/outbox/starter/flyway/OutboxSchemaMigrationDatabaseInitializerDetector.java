package dev.outbox.starter.flyway;

import java.util.Set;

import org.springframework.boot.sql.init.dependency.AbstractBeansOfTypeDatabaseInitializerDetector;
import org.springframework.util.ClassUtils;

/**
 * Tells Spring Boot that {@link OutboxSchemaMigration} beans initialize the database, so
 * that beans depending on database initialization wait for them. Registered in
 * {@code META-INF/spring.factories}.
 * <p>
 * Its order, {@value #ORDER}, is after the detectors of Flyway and Liquibase (0 and 1), so
 * the outbox migration runs after the application's own migrations, and before the SQL
 * script initializer ({@code spring.sql.init}).
 */
public class OutboxSchemaMigrationDatabaseInitializerDetector extends AbstractBeansOfTypeDatabaseInitializerDetector {

	/** Order of this detector among the database initializer detectors. */
	public static final int ORDER = 10;

	private static final boolean FLYWAY_PRESENT = ClassUtils.isPresent("org.flywaydb.core.Flyway",
			OutboxSchemaMigrationDatabaseInitializerDetector.class.getClassLoader());

	@Override
	protected Set<Class<?>> getDatabaseInitializerBeanTypes() {
		return FLYWAY_PRESENT ? Set.of(OutboxSchemaMigration.class) : Set.of();
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

}
