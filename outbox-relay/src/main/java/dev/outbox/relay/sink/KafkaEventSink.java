package dev.outbox.relay.sink;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * Sends records to Kafka without waiting: the outcome arrives on the record's {@link Delivery},
 * on the producer's I/O thread.
 * <p>
 * Three kinds of trouble are told apart. A record the producer cannot take right now (no metadata
 * because the broker is away, or its buffer is full) makes {@link #trySend} return {@code false}
 * after {@code max.block.ms}; the caller keeps the record and offers it again later, so that
 * nothing behind it overtakes it. Retriable delivery errors never reach a delivery, because
 * {@link ProducerSettings} makes the producer retry them forever (should one come anyway, the
 * delivery is told to re-read: {@link Delivery#resendRequired}). A final error is classified by
 * {@link SendFailure}: one about the record goes to the dead-letter topic when there is one
 * ({@link DeadLetterSender}); any other fails the delivery.
 * <p>
 * Order after a final failure: when the broker rejects a record for good, records handed to the
 * producer after it (some of the same aggregate, possibly) sit in its buffer. Were they delivered,
 * the failed event would land after them once the operator fixed the cause and restarted, which
 * reorders the aggregate. So the sink aborts the producer from the failing record's own callback:
 * {@code close(Duration.ZERO)} on the I/O thread, before that thread sends anything more (one
 * request in flight per connection, so no later batch of the partition is on the wire yet), fails
 * every unsent batch instead of sending it. The sink is then dead: the relay stops, and on restart
 * re-reads from its confirmed position, which lies before the failed event. Not from the reader
 * thread, which would race the sender thread's next batch. A failure reported by {@code send()}
 * itself, on the caller's thread, needs no abort: nothing after that record was handed over.
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
public final class KafkaEventSink implements EventSink, AutoCloseable {

	private static final Log logger = LogFactory.getLog(KafkaEventSink.class);

	private final Producer<byte[], byte[]> producer;

	private final @Nullable DeadLetterSender deadLetters;

	private final Thread flusher;

	private final long liveFlushIntervalNanos;

	private final AtomicBoolean aborted = new AtomicBoolean();

	/** Records handed to the producer since the last flush request; reader thread only. */
	private boolean sentSinceFlush;

	private boolean flusherStarted;

	private volatile boolean flushRequested;

	private volatile boolean closed;

	private final List<AutoCloseable> closedWithProducer = new CopyOnWriteArrayList<>();

	/**
	 * A sink without a dead-letter topic.
	 * @param producer a producer configured with {@link ProducerSettings}, owned by this sink
	 * @param liveFlushInterval shortest time from the start of one flush to the start of the
	 * next ({@code outbox.relay.live-flush-interval}); zero flushes as often as asked
	 */
	public KafkaEventSink(Producer<byte[], byte[]> producer, Duration liveFlushInterval) {
		this(producer, liveFlushInterval, null);
	}

	/**
	 * @param producer a producer configured with {@link ProducerSettings}, owned by this sink
	 * @param liveFlushInterval shortest time from the start of one flush to the start of the
	 * next ({@code outbox.relay.live-flush-interval}); zero flushes as often as asked
	 * @param deadLetterTopic where records rejected for good go
	 * ({@code outbox.relay.dead-letter-topic}), or {@code null} to stop on them
	 */
	public KafkaEventSink(Producer<byte[], byte[]> producer, Duration liveFlushInterval,
			@Nullable String deadLetterTopic) {
		if (liveFlushInterval.isNegative()) {
			throw new IllegalArgumentException(
					"outbox.relay.live-flush-interval must be zero or positive, was " + liveFlushInterval);
		}
		this.producer = producer;
		this.liveFlushIntervalNanos = liveFlushInterval.toNanos();
		this.flusher = new Thread(this::flushWhenAsked, "outbox-relay-flusher");
		this.flusher.setDaemon(true);
		this.deadLetters = (deadLetterTopic != null) ? new DeadLetterSender(producer, deadLetterTopic) : null;
	}

	/**
	 * Hands a record to the producer.
	 * @param record the record
	 * @param delivery told of the outcome
	 * @return {@code true} when the producer took the record (or it failed for good); {@code false}
	 * when it could not take it within {@code max.block.ms} and the caller must offer the same
	 * record again
	 */
	@Override
	public boolean trySend(ProducerRecord<byte[], byte[]> record, Delivery delivery) {
		Outcome outcome = new Outcome(record, delivery);
		try {
			this.producer.send(record, outcome);
		}
		catch (TimeoutException ex) {
			return false;
		}
		catch (RuntimeException ex) {
			outcome.onCompletion(null, ex);
			return true;
		}
		finally {
			outcome.sending = false;
		}
		this.sentSinceFlush |= !outcome.refused;
		return !outcome.refused;
	}

	/**
	 * Parks a record that routing could not even map (it breaks the table contract) as Kafka
	 * rejecting it for good would: to the dead-letter topic when there is one, else the delivery
	 * fails.
	 * @param record the record as far as it could be built
	 * @param error why it cannot be published
	 * @param delivery told of the outcome
	 */
	@Override
	public void reject(ProducerRecord<byte[], byte[]> record, Throwable error, Delivery delivery) {
		DeadLetterSender sender = this.deadLetters;
		if (sender != null) {
			sender.add(record, error, delivery);
		}
		else {
			delivery.failed(error);
		}
	}

	/** @return the dead-letter topic, or {@code null} */
	public @Nullable String deadLetterTopic() {
		DeadLetterSender sender = this.deadLetters;
		return (sender != null) ? sender.topic() : null;
	}

	/** @return whether a final failure aborted the producer; the sink then takes nothing more */
	public boolean isAborted() {
		return this.aborted.get();
	}

	/**
	 * Asks for what the producer holds back for {@code linger.ms} to be sent now, without waiting:
	 * the reader calls it when it has caught up with live writes, so that their events do not
	 * wait for a batch to fill. A thread of this sink runs {@code flush()} (which makes every
	 * batch ready at once and waits for their acknowledgements); requests made while it runs, or
	 * less than {@code live-flush-interval} after it started, are merged into the next one. Does
	 * nothing when nothing was sent since the last request.
	 */
	@Override
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
	 * The callback of one record. Tells apart a retriable refusal that {@code send()} reports
	 * through the callback on the calling thread (for example no metadata within
	 * {@code max.block.ms}): the record was not taken, so the caller must offer it again. Any other
	 * outcome goes to the record's delivery, as {@link SendFailure} classifies it.
	 */
	private final class Outcome implements Callback {

		private final ProducerRecord<byte[], byte[]> record;

		private final Delivery delivery;

		private final Thread caller = Thread.currentThread();

		private volatile boolean sending = true;

		private boolean refused;

		Outcome(ProducerRecord<byte[], byte[]> record, Delivery delivery) {
			this.record = record;
			this.delivery = delivery;
		}

		@Override
		public void onCompletion(@Nullable RecordMetadata metadata, @Nullable Exception error) {
			boolean insideSend = this.sending && Thread.currentThread() == this.caller;
			if (error == null) {
				this.delivery.acknowledged();
				return;
			}
			SendFailure kind = SendFailure.of(error);
			if (kind == SendFailure.RESEND && insideSend) {
				this.refused = true;
			}
			else if (kind == SendFailure.RESEND) {
				this.delivery.resendRequired(error);
			}
			else if (kind == SendFailure.DEAD_LETTER && KafkaEventSink.this.deadLetters != null
					&& !KafkaEventSink.this.aborted.get()) {
				KafkaEventSink.this.deadLetters.add(this.record, error, this.delivery);
			}
			else {
				if (!insideSend) {
					abort(this.delivery, error);
				}
				this.delivery.failed(error);
			}
		}

	}

	/** On the producer's I/O thread, from a failing record's callback: see the class comment. */
	private void abort(Delivery failed, Exception error) {
		if (this.aborted.compareAndSet(false, true)) {
			logger.error(failed.describe() + " cannot be published (" + error + "); aborting the producer so that "
					+ "nothing sent after it reaches Kafka before it");
			this.producer.close(Duration.ZERO);
		}
	}

	/**
	 * Sends what is batched now and waits for every outstanding acknowledgement.
	 */
	public void flush() {
		this.producer.flush();
	}

	/** @return how many records Kafka acknowledged on the dead-letter topic; 0 without one */
	public long deadLettered() {
		DeadLetterSender sender = this.deadLetters;
		return (sender != null) ? sender.acknowledged() : 0;
	}

	/**
	 * Closes a resource bound to this sink's producer (its Micrometer binding) right after the
	 * producer.
	 * @param resource closed by {@link #close(Duration)}
	 */
	public void closeWithProducer(AutoCloseable resource) {
		this.closedWithProducer.add(resource);
	}

	/**
	 * Closes the producer, waiting at most the given time for outstanding records.
	 * @param timeout how long to wait
	 */
	public void close(Duration timeout) {
		this.closed = true;
		this.flusher.interrupt();
		if (this.deadLetters != null) {
			this.deadLetters.close();
		}
		this.producer.close(timeout);
		for (AutoCloseable resource : this.closedWithProducer) {
			try {
				resource.close();
			}
			catch (Exception ex) {
				logger.debug("Closing " + resource + " failed", ex);
			}
		}
	}

	@Override
	public void close() {
		close(Duration.ofSeconds(10));
	}

}
