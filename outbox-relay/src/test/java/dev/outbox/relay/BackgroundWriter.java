package dev.outbox.relay;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Writes outbox transactions (1 to {@code maxEvents} events, round-robin over {@code aggregates}
 * aggregates) by plain SQL until stopped, recording each committed transaction in a
 * {@link CommittedEvents}. A transaction that fails (for example while PostgreSQL restarts) is not
 * recorded, since it did not commit.
 */
final class BackgroundWriter implements AutoCloseable {

	private final AtomicBoolean writing = new AtomicBoolean(true);

	private final AtomicReference<Throwable> lastError = new AtomicReference<>();

	private final Thread thread;

	BackgroundWriter(RelayFixture fixture, String aggregateType, int aggregates, int maxEvents, CommittedEvents committed) {
		this.thread = new Thread(() -> {
			int round = 0;
			while (this.writing.get()) {
				String aggregate = "agg-" + (round++ % aggregates);
				try {
					committed.committed(aggregate, fixture.writeTransaction(aggregateType, aggregate,
							1 + ThreadLocalRandom.current().nextInt(maxEvents)));
				}
				catch (RuntimeException ex) {
					this.lastError.set(ex);
				}
			}
		}, "outbox-writer-" + aggregateType);
		this.thread.start();
	}

	Throwable lastError() {
		return this.lastError.get();
	}

	@Override
	public void close() throws InterruptedException {
		this.writing.set(false);
		this.thread.join();
	}

}
