package dev.outbox.relay.pipeline;

import java.util.function.BooleanSupplier;

import org.jspecify.annotations.Nullable;

import dev.outbox.relay.checkpoint.FailedEvent;
import dev.outbox.relay.checkpoint.LsnCheckpoint;
import dev.outbox.relay.source.StatusReporter;

/**
 * One replication session as the pipeline sees it (or the initial snapshot, which is published
 * before the slot streams): its {@link LsnCheckpoint}, the status updates that keep the server
 * informed, and the one way every wait inside it turns ({@link #keepAlive}).
 * <p>
 * Whatever happens to an event of this session (acknowledged, failed, to be re-read) is recorded
 * here and nowhere else, so that an outcome arriving after the session ended never touches a
 * later session: tickets are numbered per checkpoint.
 */
final class Session {

	private final LsnCheckpoint checkpoint;

	private final StatusReporter reporter;

	private final BooleanSupplier running;

	/** A retriable error the producer gave up on: the session must re-read from the confirmed position. */
	private volatile @Nullable Throwable resendFrom;

	Session(LsnCheckpoint checkpoint, StatusReporter reporter, BooleanSupplier running) {
		this.checkpoint = checkpoint;
		this.reporter = reporter;
		this.running = running;
	}

	LsnCheckpoint checkpoint() {
		return this.checkpoint;
	}

	StatusReporter reporter() {
		return this.reporter;
	}

	/**
	 * Records that the producer gave up on an event of this session after a retriable error.
	 * Any thread.
	 * @param error what the producer said
	 */
	void resendRequired(Throwable error) {
		this.resendFrom = error;
	}

	/**
	 * One turn of every wait inside a session (window capacity, an unavailable broker, a topic
	 * being created, the initial snapshot's acknowledgements): the server keeps getting status
	 * updates, a failure or a resend request ends the session, and a stop ends the wait. Dead
	 * letters need nothing from the reader: the sink sends them from a thread of its own.
	 * @param waitingFor what the caller waits for, for the message when a stop ends the wait
	 * @throws Exception to end the session
	 */
	void keepAlive(String waitingFor) throws Exception {
		this.reporter.maybeReport();
		checkFailure();
		if (!this.running.getAsBoolean()) {
			throw new InterruptedException("stopping while " + waitingFor);
		}
	}

	/**
	 * Ends the session when an event failed for good ({@link PermanentFailure}) or must be
	 * re-read ({@link ResendRequired}).
	 */
	void checkFailure() throws ResendRequired {
		Throwable dropped = this.resendFrom;
		if (dropped != null) {
			this.resendFrom = null;
			throw new ResendRequired("The producer dropped a record after a retriable error (" + dropped
					+ "); re-reading from the confirmed position", dropped);
		}
		FailedEvent failed = this.checkpoint.failure();
		if (failed != null) {
			throw new PermanentFailure("Event " + failed.eventId() + " (LSN " + failed.lsnText()
					+ ") cannot be published: " + failed.cause() + ". The relay stopped and confirms nothing past it. "
					+ "Fix the cause (for example the topic's ACLs, the broker's message.max.bytes, or the producer's "
					+ "max.request.size under spring.kafka.producer.properties, or the writer's data) or, for a "
					+ "record Kafka refuses as such, set outbox.relay.dead-letter-topic, then restart the relay",
					failed.eventId(), failed.lsn(), failed.cause());
		}
	}

	/** The producer dropped a record: the session ends and the next re-reads from the confirmed position. */
	static final class ResendRequired extends Exception {

		ResendRequired(String message, Throwable cause) {
			super(message, cause);
		}

	}

}
