package dev.outbox.testsupport;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a test class the shared real Kafka broker ({@link KafkaBroker#shared()}): declare a
 * {@link KafkaBroker} parameter. Tests that stop or kill a broker start their own with
 * {@link KafkaBroker#startPrivate(String)}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(KafkaExtension.class)
public @interface KafkaTest {

}
