package dev.outbox.relay.sink;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * Sends records to Kafka without waiting: the outcome arrives on the callback, on the producer's
 * I/O thread.
 * <p>
 * Two kinds of trouble are told apart. A record the producer cannot take right now (no metadata
 * because the broker is away, or its buffer is full) makes {@link #trySend} return {@code false}
 * after {@code max.block.ms}; the caller keeps the record and offers it again later, so that
 * nothing behind it overtakes it. A record Kafka rejects for good (too large, not authorized,
 * invalid) reaches the callback with a non-retriable exception: see {@link #isPermanent}.
 * Retriable delivery errors never reach the callback, because {@link ProducerSettings} makes the
 * producer retry them forever.
 * <p>
 * Batching adapts to the load with {@link #flushSoon()}: a backlog goes out in batches that
 * {@code linger.ms} fills, while an event written just now is sent as soon as the reader has
 * nothing more behind it, instead of waiting for {@code linger.ms}. Under a steady live load,
 * flushes are at least {@code outbox.relay.live-flush-interval} apart, so that events committed
 * within one interval share one produce request instead of costing the relay, the broker and
 * every consumer one request each; an event after a quiet spell still goes at once. Flushing
 * changes only when a batch is sent, never what is in it nor the order of batches.
 * <p>
 * Called from the reader thread only, except {@link #close}.
 */
public final class KafkaEventSink implements AutoCloseable {

	private final Producer<byte[], byte[]> producer;

	private final Thread flusher;

	private final long liveFlushIntervalNanos;

	/** Records handed to the producer since the last flush request; reader thread only. */
	private boolean sentSinceFlush;

	private boolean flusherStarted;

	private volatile boolean flushRequested;

	private volatile boolean closed;

	/**
	 * @param producer a producer configured with {@link ProducerSettings}, owned by this sink
	 * @param liveFlushInterval shortest time from the start of one flush to the start of the
	 * next ({@code outbox.relay.live-flush-interval}); zero flushes as often as asked
	 */
	public KafkaEventSink(Producer<byte[], byte[]> producer, Duration liveFlushInterval) {
		if (liveFlushInterval.isNegative()) {
			throw new IllegalArgumentException(
					"outbox.relay.live-flush-interval must be zero or positive, was " + liveFlushInterval);
		}
		this.producer = producer;
		this.liveFlushIntervalNanos = liveFlushInterval.toNanos();
		this.flusher = new Thread(this::flushWhenAsked, "outbox-relay-flusher");
		this.flusher.setDaemon(true);
	}

	/**
	 * Hands a record to the producer.
	 * @param record the record
	 * @param callback receives the acknowledgement or the permanent failure
	 * @return {@code true} when the producer took the record; {@code false} when it could not
	 * within {@code max.block.ms} and the caller must offer the same record again
	 */
	public boolean trySend(ProducerRecord<byte[], byte[]> record, Callback callback) {
		RefusedDuringSend guard = new RefusedDuringSend(callback);
		try {
			this.producer.send(record, guard);
		}
		catch (TimeoutException ex) {
			return false;
		}
		catch (RuntimeException ex) {
			callback.onCompletion(null, ex);
			return true;
		}
		finally {
			guard.sending = false;
		}
		this.sentSinceFlush |= !guard.refused;
		return !guard.refused;
	}

	/**
	 * Asks for what the producer holds back for {@code linger.ms} to be sent now, without waiting:
	 * the reader calls it when it has caught up with live writes, so that their events do not
	 * wait for a batch to fill. A thread of this sink runs {@code flush()} (which makes every
	 * batch ready at once and waits for their acknowledgements); requests made while it runs, or
	 * less than {@code live-flush-interval} after it started, are merged into the next one. Does
	 * nothing when nothing was sent since the last request.
	 */
	public void flushSoon() {
		if (!this.sentSinceFlush) {
			return;
		}
		this.sentSinceFlush = false;
		this.flushRequested = true;
		if (!this.flusherStarted) {
			this.flusherStarted = true;
			this.flusher.start();
		}
		LockSupport.unpark(this.flusher);
	}

	private void flushWhenAsked() {
		while (!this.closed) {
			if (!this.flushRequested) {
				LockSupport.park(this);
				continue;
			}
			this.flushRequested = false;
			long started = System.nanoTime();
			try {
				this.producer.flush();
			}
			catch (RuntimeException ex) {
				// interrupted by close(), or the producer is closed: nothing left to flush
			}
			long remaining;
			while (!this.closed && (remaining = started + this.liveFlushIntervalNanos - System.nanoTime()) > 0) {
				LockSupport.parkNanos(this, remaining); // what comes meanwhile waits for the next flush
			}
		}
	}

	/**
	 * Tells apart a retriable refusal that {@code send()} reports through the callback on the
	 * calling thread (for example no metadata within {@code max.block.ms}): the record was not
	 * taken, so the caller must offer it again. Everything else goes to the caller's callback.
	 */
	private static final class RefusedDuringSend implements Callback {

		private final Callback delegate;

		private final Thread caller = Thread.currentThread();

		private volatile boolean sending = true;

		private boolean refused;

		RefusedDuringSend(Callback delegate) {
			this.delegate = delegate;
		}

		@Override
		public void onCompletion(org.apache.kafka.clients.producer.RecordMetadata metadata, Exception error) {
			if (error instanceof RetriableException && this.sending && Thread.currentThread() == this.caller) {
				this.refused = true;
				return;
			}
			this.delegate.onCompletion(metadata, error);
		}

	}

	/**
	 * Tells whether a send error is final, so that retrying the record cannot help.
	 * @param error the error reported to a callback
	 * @return whether the record is rejected for good
	 */
	public static boolean isPermanent(Exception error) {
		return !(error instanceof RetriableException);
	}

	/**
	 * Sends what is batched now and waits for every outstanding acknowledgement.
	 */
	public void flush() {
		this.producer.flush();
	}

	/**
	 * Closes the producer, waiting at most the given time for outstanding records.
	 * @param timeout how long to wait
	 */
	public void close(Duration timeout) {
		this.closed = true;
		this.flusher.interrupt();
		this.producer.close(timeout);
	}

	@Override
	public void close() {
		close(Duration.ofSeconds(10));
	}

}
