package dev.outbox.starter.tracing;

import java.util.LinkedHashMap;
import java.util.Map;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.support.StaticListableBeanFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * {@link TraceparentHeadersContributor}: a W3C {@code traceparent} from the current span,
 * nothing without one.
 */
class TraceparentHeadersContributorUnitTests {

	@Test
	void currentSampledSpanGivesTraceparentWithSampledFlag() {
		assertThat(contribute(tracerWithSpan("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", true)))
			.containsExactly(Map.entry("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
	}

	@Test
	void sixtyFourBitTraceIdIsLeftPaddedAndUnsampledSpanHasFlagZero() {
		assertThat(contribute(tracerWithSpan("a3ce929d0e0e4736", "00f067aa0ba902b7", null)))
			.containsExactly(Map.entry("traceparent", "00-0000000000000000a3ce929d0e0e4736-00f067aa0ba902b7-00"));
	}

	@Test
	void invalidOrAllZeroIdsGiveNoHeader() {
		assertThat(contribute(tracerWithSpan("00000000000000000000000000000000", "00f067aa0ba902b7", true))).isEmpty();
		assertThat(contribute(tracerWithSpan("", "", true))).isEmpty();
		assertThat(contribute(tracerWithSpan("not-hex-not-hex-", "00f067aa0ba902b7", true))).isEmpty();
	}

	@Test
	void noCurrentSpanOrNoTracerGivesNoHeader() {
		assertThat(contribute(mock(Tracer.class))).isEmpty();
		assertThat(contribute(null)).isEmpty();
	}

	private static Map<String, String> contribute(Tracer tracer) {
		StaticListableBeanFactory beanFactory = new StaticListableBeanFactory();
		if (tracer != null) {
			beanFactory.addBean("tracer", tracer);
		}
		Map<String, String> headers = new LinkedHashMap<>();
		new TraceparentHeadersContributor(beanFactory.getBeanProvider(Tracer.class)).contribute(headers);
		return headers;
	}

	private static Tracer tracerWithSpan(String traceId, String spanId, Boolean sampled) {
		TraceContext context = mock();
		given(context.traceId()).willReturn(traceId);
		given(context.spanId()).willReturn(spanId);
		given(context.sampled()).willReturn(sampled);
		Span span = mock();
		given(span.context()).willReturn(context);
		Tracer tracer = mock();
		given(tracer.currentSpan()).willReturn(span);
		return tracer;
	}

}
