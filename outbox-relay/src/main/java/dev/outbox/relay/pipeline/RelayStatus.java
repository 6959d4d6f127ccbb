package dev.outbox.relay.pipeline;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

/**
 * The relay's observable state, written by the pipeline and read by health and metrics (which
 * never drive it). Thread-safe: every field is a volatile snapshot; readers may see a state and a
 * message from two adjacent moments, which is fine for reporting.
 */
public final class RelayStatus {

	private final Clock clock;

	private volatile RelayState state = RelayState.STARTING;

	private volatile Instant since;

	private volatile @Nullable String message;

	private volatile @Nullable String failedEventId;

	private volatile long failedLsn;

	private volatile long lastAckNanos;

	private volatile long oldestUnackedSinceNanos;

	private final AtomicLong failures = new AtomicLong();

	/**
	 * @param clock source of wall-clock time for {@link #since()}
	 */
	public RelayStatus(Clock clock) {
		this.clock = clock;
		this.since = clock.instant();
		this.lastAckNanos = System.nanoTime();
	}

	/**
	 * Moves to a state, keeping the time it started when the state does not change.
	 * @param newState the state
	 * @param newMessage what explains it, or {@code null}
	 */
	public void set(RelayState newState, @Nullable String newMessage) {
		if (this.state != newState) {
			this.since = this.clock.instant();
			this.state = newState;
		}
		this.message = newMessage;
	}

	/**
	 * Records a failure that stops the relay, naming the event that caused it.
	 * @param reason what happened and what to do
	 * @param eventId the event, or {@code null} when the failure is not about one event
	 * @param lsn the event's commit LSN, or 0
	 */
	public void fail(String reason, @Nullable String eventId, long lsn) {
		this.failedEventId = eventId;
		this.failedLsn = lsn;
		this.failures.incrementAndGet();
		set(RelayState.FAILED, reason);
	}

	/** @return how many times the relay stopped on a failure so far */
	public long failures() {
		return this.failures.get();
	}

	/** Notes that Kafka acknowledged something now. Called from producer threads. */
	public void kafkaAcknowledged() {
		this.lastAckNanos = System.nanoTime();
	}

	/**
	 * Notes whether events wait for Kafka's acknowledgement.
	 * @param waiting whether at least one event is unacknowledged
	 */
	public void eventsWaiting(boolean waiting) {
		if (!waiting) {
			this.oldestUnackedSinceNanos = 0;
		}
		else if (this.oldestUnackedSinceNanos == 0) {
			this.oldestUnackedSinceNanos = System.nanoTime();
		}
	}

	/**
	 * How long Kafka has kept the relay waiting: the time since the last acknowledgement, while
	 * events are unacknowledged; zero otherwise.
	 * @return the wait, zero when nothing waits
	 */
	public Duration kafkaStall() {
		long waitingSince = this.oldestUnackedSinceNanos;
		if (waitingSince == 0) {
			return Duration.ZERO;
		}
		long from = Math.max(waitingSince, this.lastAckNanos);
		return Duration.ofNanos(Math.max(0, System.nanoTime() - from));
	}

	/** @return the current state */
	public RelayState state() {
		return this.state;
	}

	/** @return when the current state began */
	public Instant since() {
		return this.since;
	}

	/** @return what explains the state, or {@code null} */
	public @Nullable String message() {
		return this.message;
	}

	/** @return id of the event that made the relay fail, or {@code null} */
	public @Nullable String failedEventId() {
		return this.failedEventId;
	}

	/** @return commit LSN of the event that made the relay fail, or 0 */
	public long failedLsn() {
		return this.failedLsn;
	}

}
