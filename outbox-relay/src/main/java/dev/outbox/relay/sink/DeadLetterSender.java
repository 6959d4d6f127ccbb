package dev.outbox.relay.sink;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Header;
import org.jspecify.annotations.Nullable;

/**
 * Sends the records Kafka rejected for good ({@link SendFailure#DEAD_LETTER}) to the dead-letter
 * topic, from a thread of its own.
 * <p>
 * Its own thread, because a rejection arrives on the producer's I/O thread, where a blocking
 * {@code send()} must not run, and because the reader may be waiting for anything at that moment
 * (window capacity behind the rejected event itself, an initial snapshot, a topic): the dead letter
 * must flow whatever the reader does, or the rejected event holds the window and the relay stalls.
 * <p>
 * The dead letter keeps the record's key, value and headers, and adds {@code dlq.error} and
 * {@code dlq.topic}. When it is too large for the dead-letter topic too, it goes again without
 * its value, with {@code dlq.payload-omitted} giving the value's size. Its acknowledgement is the
 * event's ({@link Delivery#acknowledged()}); a dead letter that cannot be delivered either fails
 * the event ({@link Delivery#failed}). Logs name the event, never its payload.
 */
final class DeadLetterSender {

	private static final Log logger = LogFactory.getLog(DeadLetterSender.class);

	static final String ERROR_HEADER = "dlq.error";

	static final String TOPIC_HEADER = "dlq.topic";

	static final String PAYLOAD_OMITTED_HEADER = "dlq.payload-omitted";

	private final Producer<byte[], byte[]> producer;

	private final String topic;

	private final LinkedBlockingQueue<DeadLetter> queue = new LinkedBlockingQueue<>();

	private final Thread thread;

	private volatile boolean closed;

	private final AtomicLong acknowledged = new AtomicLong();

	DeadLetterSender(Producer<byte[], byte[]> producer, String topic) {
		this.producer = producer;
		this.topic = topic;
		this.thread = new Thread(this::sendWhenQueued, "outbox-relay-dead-letters");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	/** @return the dead-letter topic */
	String topic() {
		return this.topic;
	}

	/**
	 * Queues a rejected record for the dead-letter topic. Any thread; never blocks.
	 * @param rejected the record as it was sent
	 * @param error why Kafka (or routing) rejected it
	 * @param delivery told when the dead letter is acknowledged, or fails
	 */
	void add(ProducerRecord<byte[], byte[]> rejected, Throwable error, Delivery delivery) {
		logger.error(delivery.describe() + " was rejected for good (" + error + ") and goes to dead-letter topic "
				+ this.topic);
		this.queue.add(new DeadLetter(rejected, error, delivery, false));
	}

	private void sendWhenQueued() {
		while (!this.closed) {
			DeadLetter letter;
			try {
				letter = this.queue.poll(100, TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				return; // closed
			}
			if (letter != null) {
				send(letter);
			}
		}
	}

	private void send(DeadLetter letter) {
		ProducerRecord<byte[], byte[]> record = letter.toRecord(this.topic);
		while (!this.closed) {
			try {
				this.producer.send(record, (metadata, error) -> completed(letter, error));
				return;
			}
			catch (TimeoutException ex) {
				// no metadata or no buffer within max.block.ms: offer it again
			}
			catch (RuntimeException ex) {
				completed(letter, ex);
				return;
			}
		}
	}

	private void completed(DeadLetter letter, @Nullable Exception error) {
		if (error == null) {
			this.acknowledged.incrementAndGet();
			letter.delivery().acknowledged();
		}
		else if (error instanceof RecordTooLargeException && !letter.omitPayload()) {
			logger.error(letter.delivery().describe() + " is too large for dead-letter topic " + this.topic
					+ " too; it goes there without its payload");
			this.queue.add(new DeadLetter(letter.rejected(), letter.error(), letter.delivery(), true));
		}
		else if (SendFailure.of(error) == SendFailure.RESEND) {
			letter.delivery().resendRequired(error);
		}
		else {
			letter.delivery().failed(error);
		}
	}

	/** @return how many records Kafka acknowledged on the dead-letter topic */
	long acknowledged() {
		return this.acknowledged.get();
	}

	void close() {
		this.closed = true;
		this.thread.interrupt();
	}

	private record DeadLetter(ProducerRecord<byte[], byte[]> rejected, Throwable error, Delivery delivery,
			boolean omitPayload) {

		ProducerRecord<byte[], byte[]> toRecord(String topic) {
			byte[] value = this.rejected.value();
			ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, null, this.rejected.key(),
					this.omitPayload ? null : value);
			for (Header header : this.rejected.headers()) {
				record.headers().add(header);
			}
			record.headers()
				.add(ERROR_HEADER, String.valueOf(this.error).getBytes(StandardCharsets.UTF_8))
				.add(TOPIC_HEADER, this.rejected.topic().getBytes(StandardCharsets.UTF_8));
			if (this.omitPayload) {
				record.headers()
					.add(PAYLOAD_OMITTED_HEADER,
							String.valueOf((value != null) ? value.length : 0).getBytes(StandardCharsets.UTF_8));
			}
			return record;
		}

	}

}
