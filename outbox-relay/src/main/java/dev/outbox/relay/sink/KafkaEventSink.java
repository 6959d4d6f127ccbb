package dev.outbox.relay.sink;

import java.time.Duration;

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
 * Called from the reader thread only, except {@link #close}.
 */
public final class KafkaEventSink implements AutoCloseable {

	private final Producer<byte[], byte[]> producer;

	/**
	 * @param producer a producer configured with {@link ProducerSettings}, owned by this sink
	 */
	public KafkaEventSink(Producer<byte[], byte[]> producer) {
		this.producer = producer;
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
		return !guard.refused;
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
		this.producer.close(timeout);
	}

	@Override
	public void close() {
		close(Duration.ofSeconds(10));
	}

}
