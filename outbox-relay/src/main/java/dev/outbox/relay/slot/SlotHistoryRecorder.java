package dev.outbox.relay.slot;

import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;

import dev.outbox.relay.slot.SlotHistoryRecord.Event;

/**
 * Decides when the relay writes to the {@link SlotHistory}: when it created the slot, when a
 * session starts streaming,
 * the first time a standby sees the slot held by another relay, when the confirmed position
 * advances (at most once per interval), and once more when a session stops, so that a relay
 * stopped gracefully leaves its last confirmed position behind, not one up to an interval older.
 * Every record carries the server's timeline as read before the session. Reader thread only; the
 * writes themselves are asynchronous.
 */
public final class SlotHistoryRecorder {

	/** Shortest time between two records of an advancing confirmed position. */
	public static final Duration CONFIRMED_INTERVAL = Duration.ofSeconds(10);

	private final SlotHistory history;

	private final long intervalNanos;

	private final LongSupplier nanoTime;

	private final Clock clock;

	private final Set<SlotKey> seenAsStandby = new HashSet<>();

	private @Nullable SlotKey streaming;

	private int timeline;

	private long lastRecordedLsn;

	private long lastConfirmedLsn;

	private long lastRecordNanos;

	/**
	 * @param history where records go
	 */
	public SlotHistoryRecorder(SlotHistory history) {
		this(history, CONFIRMED_INTERVAL, System::nanoTime, Clock.systemUTC());
	}

	SlotHistoryRecorder(SlotHistory history, Duration interval, LongSupplier nanoTime, Clock clock) {
		this.history = history;
		this.intervalNanos = interval.toNanos();
		this.nanoTime = nanoTime;
		this.clock = clock;
	}

	/**
	 * A session started streaming the slot from its confirmed position.
	 * @param key the slot
	 * @param startLsn the confirmed position it streams from
	 * @param timeline the server's timeline, 0 when unknown
	 */
	public void streaming(SlotKey key, long startLsn, int timeline) {
		this.streaming = key;
		this.timeline = timeline;
		this.lastConfirmedLsn = startLsn;
		write(key, Event.STREAMING, startLsn);
	}

	/**
	 * Another relay streams the slot and this one stands by: it has seen the slot exist.
	 * @param key the slot
	 * @param confirmedLsn the slot's confirmed position as read before
	 * @param timeline the server's timeline, 0 when unknown
	 */
	public void standingBy(SlotKey key, long confirmedLsn, int timeline) {
		this.streaming = null;
		this.timeline = timeline;
		if (this.seenAsStandby.add(key)) {
			write(key, Event.STANDBY, confirmedLsn);
		}
	}

	/**
	 * The relay created the slot.
	 * @param key the slot
	 * @param lsn the new slot's consistent point
	 * @param anew whether it was created anew although a relay used it before
	 * ({@code allow-slot-recreation})
	 * @param timeline the server's timeline, 0 when unknown
	 */
	public void created(SlotKey key, long lsn, boolean anew, int timeline) {
		this.timeline = timeline;
		write(key, anew ? Event.RECREATED : Event.CREATED, lsn);
	}

	/**
	 * The relay confirmed a position to PostgreSQL; recorded when it advanced and the last record
	 * is at least the interval old.
	 * @param lsn the confirmed position
	 */
	public void confirmed(long lsn) {
		SlotKey key = this.streaming;
		this.lastConfirmedLsn = Math.max(this.lastConfirmedLsn, lsn);
		if (key != null && lsn > this.lastRecordedLsn
				&& this.nanoTime.getAsLong() - this.lastRecordNanos >= this.intervalNanos) {
			write(key, Event.CONFIRMED, lsn);
		}
	}

	/**
	 * The session stopped: records the last confirmed position when the interval held it back.
	 */
	public void stopped() {
		SlotKey key = this.streaming;
		if (key != null && this.lastConfirmedLsn > this.lastRecordedLsn) {
			write(key, Event.CONFIRMED, this.lastConfirmedLsn);
		}
	}

	private void write(SlotKey key, Event event, long lsn) {
		this.history.record(key, new SlotHistoryRecord(event, lsn, this.timeline, this.clock.instant()));
		this.lastRecordedLsn = lsn;
		this.lastRecordNanos = this.nanoTime.getAsLong();
	}

}
