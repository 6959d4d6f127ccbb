package dev.outbox.relay.sink;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** A {@link Delivery} that records its outcome, for the sink's unit tests. */
class RecordingDelivery implements Delivery {

	final AtomicInteger acknowledged = new AtomicInteger();

	final AtomicReference<Throwable> failed = new AtomicReference<>();

	final AtomicReference<Throwable> resend = new AtomicReference<>();

	@Override
	public void acknowledged() {
		this.acknowledged.incrementAndGet();
	}

	@Override
	public void failed(Throwable error) {
		this.failed.set(error);
	}

	@Override
	public void resendRequired(Throwable error) {
		this.resend.set(error);
	}

	@Override
	public String describe() {
		return "Event test-event (LSN 0/1)";
	}

	int outcomes() {
		return this.acknowledged.get() + ((this.failed.get() != null) ? 1 : 0) + ((this.resend.get() != null) ? 1 : 0);
	}

}
