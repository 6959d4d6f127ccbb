package dev.outbox.starter.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

import dev.outbox.starter.write.OutboxWriteMode;

/**
 * Matches when {@code outbox.write-mode} is {@code retain}, bound as the property itself is
 * (ignoring case), so the purge exists exactly when rows are kept.
 */
class OnRetainWriteModeCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		OutboxWriteMode mode = Binder.get(context.getEnvironment())
			.bind("outbox.write-mode", OutboxWriteMode.class)
			.orElse(OutboxWriteMode.TABLE);
		return new ConditionOutcome(mode == OutboxWriteMode.RETAIN, "outbox.write-mode is " + mode);
	}

}
