package dev.outbox.starter.tracing;

import java.util.Map;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;

import dev.outbox.starter.OutboxHeadersContributor;

/**
 * Adds a W3C {@code traceparent} header built from Micrometer Tracing's current span, so the
 * relay can continue the trace on the Kafka side. Adds nothing when there is no
 * {@link Tracer} bean or no current span, or when the span has no valid ids (a no-op
 * tracer).
 * <p>
 * The header is written in W3C form whatever propagation format the application is
 * configured for: version {@code 00}, the 128-bit trace id (a 64-bit id is left-padded with
 * zeros), the span id and the sampled flag.
 */
public class TraceparentHeadersContributor implements OutboxHeadersContributor {

	/** Name of the header this contributor adds. */
	public static final String TRACEPARENT = "traceparent";

	private final ObjectProvider<Tracer> tracer;

	/**
	 * Create a contributor.
	 * @param tracer the tracer, looked up on each call so it may be defined late or not at all
	 */
	public TraceparentHeadersContributor(ObjectProvider<Tracer> tracer) {
		this.tracer = tracer;
	}

	@Override
	public void contribute(Map<String, String> headers) {
		Tracer tracer = this.tracer.getIfUnique();
		Span span = (tracer != null) ? tracer.currentSpan() : null;
		if (span == null) {
			return;
		}
		String traceparent = traceparent(span.context());
		if (traceparent != null) {
			headers.put(TRACEPARENT, traceparent);
		}
	}

	static @Nullable String traceparent(TraceContext context) {
		String traceId = context.traceId();
		String spanId = context.spanId();
		if (!isHex(traceId, 16, 32) || !isHex(spanId, 16, 16) || isZero(traceId) || isZero(spanId)) {
			return null;
		}
		String paddedTraceId = "0".repeat(32 - traceId.length()) + traceId;
		String flags = Boolean.TRUE.equals(context.sampled()) ? "01" : "00";
		return "00-" + paddedTraceId + "-" + spanId + "-" + flags;
	}

	private static boolean isHex(@Nullable String id, int minLength, int maxLength) {
		if (id == null || id.length() < minLength || id.length() > maxLength || id.length() % 16 != 0) {
			return false;
		}
		for (int i = 0; i < id.length(); i++) {
			char ch = id.charAt(i);
			if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'))) {
				return false;
			}
		}
		return true;
	}

	private static boolean isZero(String id) {
		return id.chars().allMatch((ch) -> ch == '0');
	}

}
