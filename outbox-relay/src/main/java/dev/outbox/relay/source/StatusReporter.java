package dev.outbox.relay.source;

import java.sql.SQLException;
import java.time.Duration;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;

/**
 * Sends the confirmable position (the checkpoint's, handed in as a supplier) to PostgreSQL as the
 * flushed and applied LSN, at most once per interval. The reader calls {@link #maybeReport()} on every turn, including while
 * it waits for Kafka, so the server hears from the relay within {@code wal_sender_timeout} even
 * under backpressure. Each position sent is also handed to a listener (the slot history's
 * recorder, which throttles). Reader thread only.
 */
public final class StatusReporter {

	private final @Nullable ServerStream stream;

	private final @Nullable LongSupplier confirmable;

	private final long intervalNanos;

	private final LongConsumer onConfirmed;

	private long lastReport = System.nanoTime();

	StatusReporter(@Nullable ServerStream stream, @Nullable LongSupplier confirmable, Duration interval,
			LongConsumer onConfirmed) {
		this.stream = stream;
		this.confirmable = confirmable;
		this.intervalNanos = interval.toNanos();
		this.onConfirmed = onConfirmed;
	}

	/** @return a reporter with no server to report to, for waits outside a replication stream */
	public static StatusReporter none() {
		return new StatusReporter(null, null, Duration.ofDays(1), (lsn) -> {
		});
	}

	/**
	 * Reports when the interval has passed since the last report.
	 * @throws SQLException when the replication connection fails
	 */
	public void maybeReport() throws SQLException {
		if (System.nanoTime() - this.lastReport >= this.intervalNanos) {
			report();
		}
	}

	/**
	 * Reports now.
	 * @throws SQLException when the replication connection fails
	 */
	public void report() throws SQLException {
		if (this.stream == null || this.confirmable == null) {
			return;
		}
		long confirmed = this.confirmable.getAsLong();
		this.stream.confirm(confirmed);
		this.lastReport = System.nanoTime();
		this.onConfirmed.accept(confirmed);
	}

}
