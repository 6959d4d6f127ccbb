package dev.outbox.relay.pipeline;

import java.sql.SQLException;
import java.time.Duration;
import java.util.function.LongConsumer;

import org.jspecify.annotations.Nullable;
import org.postgresql.replication.LogSequenceNumber;
import org.postgresql.replication.PGReplicationStream;

import dev.outbox.relay.checkpoint.LsnCheckpoint;

/**
 * Sends the checkpoint's confirmable position to PostgreSQL as the flushed and applied LSN, at
 * most once per interval. The reader calls {@link #maybeReport()} on every turn, including while
 * it waits for Kafka, so the server hears from the relay within {@code wal_sender_timeout} even
 * under backpressure. Each position sent is also handed to a listener (the slot history's
 * recorder, which throttles). Reader thread only.
 */
final class StatusReporter {

	private final @Nullable PGReplicationStream stream;

	private final @Nullable LsnCheckpoint checkpoint;

	private final long intervalNanos;

	private final LongConsumer onConfirmed;

	private long lastReport = System.nanoTime();

	private long lastReported = -1;

	StatusReporter(@Nullable PGReplicationStream stream, @Nullable LsnCheckpoint checkpoint, Duration interval,
			LongConsumer onConfirmed) {
		this.stream = stream;
		this.checkpoint = checkpoint;
		this.intervalNanos = interval.toNanos();
		this.onConfirmed = onConfirmed;
	}

	static StatusReporter none() {
		return new StatusReporter(null, null, Duration.ofDays(1), (lsn) -> {
		});
	}

	void maybeReport() throws SQLException {
		if (System.nanoTime() - this.lastReport >= this.intervalNanos) {
			report();
		}
	}

	void report() throws SQLException {
		if (this.stream == null || this.checkpoint == null) {
			return;
		}
		LogSequenceNumber confirmed = LogSequenceNumber.valueOf(this.checkpoint.confirmableLsn());
		this.stream.setFlushedLSN(confirmed);
		this.stream.setAppliedLSN(confirmed);
		this.stream.forceUpdateStatus();
		this.lastReport = System.nanoTime();
		this.lastReported = confirmed.asLong();
		this.onConfirmed.accept(this.lastReported);
	}

	long lastReported() {
		return this.lastReported;
	}

}
