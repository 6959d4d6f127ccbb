package dev.outbox.relay.pipeline;

import java.sql.Connection;
import java.sql.SQLException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.postgresql.replication.LogSequenceNumber;

import dev.outbox.relay.slot.SlotHistory;
import dev.outbox.relay.slot.SlotHistoryRecord;
import dev.outbox.relay.slot.SlotHistoryRecorder;
import dev.outbox.relay.slot.SlotKey;
import dev.outbox.relay.slot.SlotRecreation;
import dev.outbox.relay.source.ReplicationSetup;
import dev.outbox.relay.source.ServerTimeline;
import dev.outbox.relay.source.SlotCreation;
import dev.outbox.relay.source.SlotLostException;
import dev.outbox.relay.source.SlotStatus;
import dev.outbox.relay.source.SnapshotRows;

/**
 * Creates the slot only when no relay used it before, and records in the slot history what this
 * relay does with it (created, streaming, standing by, confirmed).
 * <p>
 * Why: a slot that existed and is now missing was dropped, and took with it the WAL of every event
 * committed since the position its relay last confirmed. A new slot starts at the current WAL
 * position, past those events: creating it silently loses them. So a missing slot is created
 * only when neither this process (since it started) nor any relay whose record is in the slot
 * history has used it, unless the operator allows recreation explicitly
 * ({@link SlotRecreation#OVERRIDE}), having reconciled the gap.
 * <p>
 * Reader thread, and the starting thread before the reader runs.
 */
final class SlotGuard {

	private static final Log logger = LogFactory.getLog(SlotGuard.class);

	private final ReplicationSetup setup;

	private final SlotCreation creation;

	private final SlotHistory history;

	private final SlotHistoryRecorder recorder;

	private final String slotName;

	private final boolean allowRecreation;

	private volatile @Nullable SlotKey key;

	private volatile boolean used;

	/** The timeline of the server this process last streamed from, 0 before it streamed. */
	private volatile int streamedTimeline;

	/** The server's timeline as read before the current session, 0 when unknown. */
	private volatile int sessionTimeline;

	/** The highest position this process confirmed (or started streaming from). */
	private volatile long highestConfirmed;

	/** Whether this process read the slot history for a failover that happened before it started. */
	private volatile boolean historyConsulted;

	SlotGuard(ReplicationSetup setup, SlotCreation creation, SlotHistory history, String slotName,
			boolean allowRecreation) {
		this.setup = setup;
		this.creation = creation;
		this.history = history;
		this.recorder = new SlotHistoryRecorder(history);
		this.slotName = slotName;
		this.allowRecreation = allowRecreation;
	}

	/**
	 * Creates the missing slot, unless a relay used it before and recreation is not allowed.
	 * @param snapshot publishes the initial snapshot, when one is configured
	 * @return where streaming starts
	 * @throws SlotLostException when the slot must not be created anew
	 * @throws Exception when creation or the snapshot fails
	 */
	long create(SnapshotRows.Publisher snapshot) throws Exception {
		SlotKey slotKey = key();
		@Nullable SlotHistoryRecord last = (this.used && !this.allowRecreation) ? null
				: this.history.lastRecord(slotKey).orElse(null);
		@Nullable String refusal = SlotRecreation.refusal(last, this.used, this.allowRecreation,
				this.history.describe());
		if (refusal != null) {
			throw new SlotLostException(ReplicationSetup.droppedMessage(this.slotName) + ". " + refusal);
		}
		long lsn = this.creation.create(snapshot);
		this.sessionTimeline = ServerTimeline.read(this.setup.dataSource());
		boolean anew = last != null || this.used;
		this.recorder.created(slotKey, lsn, anew, this.sessionTimeline);
		if (anew) {
			logger.warn("Created replication slot " + this.slotName + " anew at "
					+ LogSequenceNumber.valueOf(lsn).asString() + " although it streamed before ("
					+ SlotRecreation.OVERRIDE + "): events committed while no slot existed are not published. Set "
					+ "outbox.relay.allow-slot-recreation back to false");
		}
		return lsn;
	}

	/**
	 * Checks a slot found before a session ({@link #checkFollowedFailover}), then lets it follow
	 * the next failover when it does not yet (PostgreSQL 17 and later).
	 * @param slot the slot as found before a session
	 * @throws SlotLostException when the slot is an older copy left by a failover
	 * @throws SQLException when the slot history or the server cannot be read
	 */
	void checkExisting(SlotStatus slot) throws SQLException {
		checkFollowedFailover(slot);
		this.creation.followFailovers(slot);
	}

	/**
	 * Refuses a slot that did not follow a failover: found on a new timeline (a promoted standby)
	 * behind the position confirmed before, and not a failover slot (PostgreSQL 17 and later,
	 * whose synchronised copy may lag and re-sends from there). A crash restart of the same server
	 * keeps its timeline, and may find the slot behind too: that is a re-send.
	 * <p>
	 * "Confirmed before" is what this process confirmed and on which timeline, once it has
	 * streamed. A process that has not streamed yet, on a server whose timeline is past 1 (it was
	 * promoted at some time), reads the slot history's last record instead, once: its position and
	 * timeline. That record is the last one written, which is up to
	 * {@link dev.outbox.relay.slot.SlotHistoryRecorder#CONFIRMED_INTERVAL} behind what a relay
	 * killed without a graceful stop had confirmed, so a copy behind by less than that passes:
	 * docs/failover.md says so.
	 * @param slot the slot as found before a session
	 * @throws SlotLostException when the slot is such a copy
	 * @throws IllegalStateException when the slot history cannot be read (the session is retried)
	 */
	private void checkFollowedFailover(SlotStatus slot) throws SQLException {
		int timeline = ServerTimeline.read(this.setup.dataSource());
		this.sessionTimeline = timeline;
		if (timeline == 0 || slot.failover()) {
			return;
		}
		int previous = this.streamedTimeline;
		long confirmed = this.highestConfirmed;
		if (previous == 0 && timeline > 1 && !this.historyConsulted) {
			@Nullable SlotHistoryRecord last = this.history.lastRecord(key()).orElse(null);
			this.historyConsulted = true;
			if (last != null) {
				previous = last.timeline();
				confirmed = last.confirmedLsn();
			}
		}
		if (previous != 0 && timeline != previous && slot.confirmedFlushLsn() < confirmed) {
			throw new SlotLostException(ReplicationSetup.behindAfterFailoverMessage(slot, timeline, previous, confirmed));
		}
	}

	/**
	 * Records that this relay streams the slot, on the timeline read before the session
	 * ({@link #checkFollowedFailover} or {@link #create}).
	 * @param startLsn where it streams from
	 */
	void streaming(long startLsn) throws SQLException {
		this.used = true;
		if (this.sessionTimeline != 0) {
			this.streamedTimeline = this.sessionTimeline;
		}
		this.highestConfirmed = Math.max(this.highestConfirmed, startLsn);
		this.recorder.streaming(key(), startLsn, this.sessionTimeline);
	}

	/**
	 * Records that this relay saw the slot streamed by another and stands by.
	 * @param confirmedLsn the slot's confirmed position
	 */
	void standingBy(long confirmedLsn) throws SQLException {
		this.used = true;
		this.recorder.standingBy(key(), confirmedLsn, this.sessionTimeline);
	}

	/**
	 * Records a confirmed position (throttled by the recorder).
	 * @param lsn the position confirmed to the server
	 */
	void confirmed(long lsn) {
		this.highestConfirmed = Math.max(this.highestConfirmed, lsn);
		this.recorder.confirmed(lsn);
	}

	/** Records the last confirmed position of a session that stopped gracefully. */
	void stopped() {
		this.recorder.stopped();
	}

	private SlotKey key() throws SQLException {
		SlotKey slotKey = this.key;
		if (slotKey == null) {
			try (Connection connection = this.setup.dataSource().getConnection()) {
				slotKey = SlotKey.read(connection, this.slotName);
			}
			this.key = slotKey;
		}
		return slotKey;
	}

}
