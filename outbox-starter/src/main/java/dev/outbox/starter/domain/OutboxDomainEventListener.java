package dev.outbox.starter.domain;

import org.springframework.context.ApplicationEvent;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.context.event.GenericApplicationListener;
import org.springframework.core.ResolvableType;

import dev.outbox.starter.Outbox;
import dev.outbox.starter.OutboxDomainEvent;

/**
 * Publishes every {@link OutboxDomainEvent} application event through {@link Outbox}.
 * <p>
 * A plain synchronous listener, on purpose: Spring Data publishes an aggregate's domain
 * events during {@code save(...)}, inside the repository's (or the caller's) transaction,
 * and this listener runs right there, on the publishing thread, so the event joins that
 * transaction and the outbox writes it before commit. It declines asynchronous execution
 * ({@link #supportsAsyncExecution()}), so an application event multicaster with an executor
 * still calls it on the publishing thread. A
 * {@code @TransactionalEventListener(phase = BEFORE_COMMIT)} would add nothing but a silent
 * drop of events published without a transaction; here that case throws, like every other
 * misuse of {@link Outbox}, and the exception propagates out of {@code save(...)}.
 */
public class OutboxDomainEventListener implements GenericApplicationListener {

	private final Outbox outbox;

	/**
	 * Create a listener.
	 * @param outbox the outbox to publish to
	 */
	public OutboxDomainEventListener(Outbox outbox) {
		this.outbox = outbox;
	}

	@Override
	public boolean supportsEventType(ResolvableType eventType) {
		return PayloadApplicationEvent.class.isAssignableFrom(eventType.toClass())
				&& OutboxDomainEvent.class.isAssignableFrom(eventType.as(PayloadApplicationEvent.class).getGeneric().toClass());
	}

	/**
	 * Publish the event in the current transaction.
	 * @param applicationEvent the application event carrying the outbox event
	 */
	@Override
	public void onApplicationEvent(ApplicationEvent applicationEvent) {
		if (applicationEvent instanceof PayloadApplicationEvent<?> payloadEvent
				&& payloadEvent.getPayload() instanceof OutboxDomainEvent event) {
			this.outbox.publish(event.aggregateType(), event.aggregateId(), event.eventType(), event.payload(),
					event.headers());
		}
	}

	@Override
	public boolean supportsAsyncExecution() {
		return false;
	}

}
