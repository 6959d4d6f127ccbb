package dev.outbox.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;

/**
 * Turns the outbox test kit on for a test class: an injectable {@link CapturedOutboxEvents}
 * holds the events each committed transaction published, cleared before each test method.
 * For a {@code @SpringBootTest}; it imports the outbox's auto-configuration too, so that slices
 * such as {@code @DataJpaTest} get the outbox. A {@code @Transactional} test rolls back at its
 * end, so nothing it publishes is committed or captured: run such tests without a test-managed
 * transaction.
 * <p>
 * On PostgreSQL the starter's real write path runs underneath; on another database (H2) events
 * are only captured, where without the kit publishing would throw.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ImportAutoConfiguration
public @interface AutoConfigureOutboxTestKit {

}
