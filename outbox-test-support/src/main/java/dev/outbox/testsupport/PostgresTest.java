package dev.outbox.testsupport;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a test class a fresh database in a real PostgreSQL server with {@code wal_level=logical}.
 * <p>
 * Declare a {@link TestDatabase} parameter on a constructor, a lifecycle method or a test method.
 * The server is found, in this order:
 * <ol>
 * <li>the JDBC URL in the environment variable {@value PostgresServer#URL_VARIABLE}
 * (what {@code scripts/pg-local.sh start} prints);</li>
 * <li>a Testcontainers {@code postgres} container started with {@code -c wal_level=logical}, when a
 * Docker engine answers;</li>
 * <li>otherwise the test fails, saying how to start one.</li>
 * </ol>
 * One database is created per test class; replication slots are cluster-wide, so tests name
 * theirs uniquely (see {@link TestDatabase#uniqueName(String)}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(PostgresExtension.class)
public @interface PostgresTest {

}
