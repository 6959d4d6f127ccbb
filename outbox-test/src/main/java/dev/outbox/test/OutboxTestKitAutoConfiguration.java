package dev.outbox.test;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import dev.outbox.starter.autoconfigure.OutboxAutoConfiguration;

/**
 * The test kit's beans: the {@link OutboxEventRecorder} the starter's writer notifies after each
 * commit, and the {@link CapturedOutboxEvents} a test injects. Imported by
 * {@link AutoConfigureOutboxTestKit} only, never by a plain application: it is configured before
 * {@link OutboxAutoConfiguration}, which picks the recorder up.
 */
@AutoConfiguration(before = OutboxAutoConfiguration.class,
		afterName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
public final class OutboxTestKitAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	OutboxEventRecorder outboxEventRecorder(ObjectProvider<JsonMapper> jsonMapper) {
		return new OutboxEventRecorder(jsonMapper.getIfUnique(() -> JsonMapper.builder().build()));
	}

	@Bean
	@ConditionalOnMissingBean
	CapturedOutboxEvents capturedOutboxEvents(OutboxEventRecorder recorder) {
		return new CapturedOutboxEvents(recorder::events);
	}

}
