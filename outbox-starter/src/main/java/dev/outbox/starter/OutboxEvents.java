package dev.outbox.starter;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Container for repeated {@link OutboxEvent @OutboxEvent} annotations; the compiler uses it
 * when a method carries more than one. The events are published in declaration order.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface OutboxEvents {

	/**
	 * The repeated annotations.
	 * @return the annotations, in declaration order
	 */
	OutboxEvent[] value();

}
