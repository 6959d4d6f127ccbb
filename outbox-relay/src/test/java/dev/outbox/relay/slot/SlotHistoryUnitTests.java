package dev.outbox.relay.slot;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.postgresql.replication.LogSequenceNumber;

import dev.outbox.relay.slot.SlotHistoryRecord.Event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SlotHistoryUnitTests {

	private static final SlotKey KEY = new SlotKey("7715736851843856470", "orders", "outbox_relay");

	private static final Instant AT = Instant.parse("2026-01-02T03:04:05Z");

	@Test
	void keyIsSystemIdentifierDatabaseAndSlot() {
		assertThat(KEY).hasToString("7715736851843856470/orders/outbox_relay");
	}

	@Test
	void recordIsSmallJsonThatParsesBack() {
		SlotHistoryRecord record = new SlotHistoryRecord(Event.STREAMING, lsn("0/16B3748"), 2, AT);
		assertThat(record.toJson()).isEqualTo("{\"event\":\"streaming\",\"confirmedLsn\":\"0/16B3748\","
				+ "\"timeline\":2,\"at\":\"2026-01-02T03:04:05Z\"}");
		assertThat(SlotHistoryRecord.parse(record.toJson())).isEqualTo(record);
	}

	@Test
	void recordWrittenBeforeTimelinesWereKeptReadsAsTimelineUnknown() {
		SlotHistoryRecord record = SlotHistoryRecord
			.parse("{\"event\":\"confirmed\",\"confirmedLsn\":\"0/16B3748\",\"at\":\"2026-01-02T03:04:05Z\"}");
		assertThat(record).isEqualTo(new SlotHistoryRecord(Event.CONFIRMED, lsn("0/16B3748"), 0, AT));
	}

	@Test
	void valueThatIsNotARecordIsRejectedNamingTheValue() {
		assertThatIllegalArgumentException().isThrownBy(() -> SlotHistoryRecord.parse("{\"event\":\"bogus\"}"))
			.withMessageContaining("Not a slot-history record: {\"event\":\"bogus\"}");
	}

	@Test
	void slotNeverUsedMayBeCreated() {
		assertThat(SlotRecreation.refusal(null, false, false, "topic h")).isNull();
	}

	@Test
	void slotInTheHistoryIsRefusedNamingTheRecordAndTheOverride() {
		SlotHistoryRecord last = new SlotHistoryRecord(Event.CONFIRMED, lsn("0/3000060"), 1, AT);
		assertThat(SlotRecreation.refusal(last, false, false, "topic h"))
			.contains("slot history (topic h) records it: confirmed, confirmed position 0/3000060, at " + AT)
			.contains("outbox.relay.allow-slot-recreation=true")
			.contains("back to false");
	}

	@Test
	void slotSeenByAStandbyIsRefused() {
		assertThat(SlotRecreation.refusal(new SlotHistoryRecord(Event.STANDBY, 0, 1, AT), false, false, "topic h"))
			.contains("standby");
	}

	@Test
	void slotStreamedByThisProcessIsRefusedWithoutAnyHistory() {
		assertThat(SlotRecreation.refusal(null, true, false, "topic h")).contains("This relay process streamed it");
	}

	@Test
	void overrideAllowsRecreation() {
		assertThat(SlotRecreation.refusal(new SlotHistoryRecord(Event.STREAMING, 1, 1, AT), true, true, "topic h"))
			.isNull();
	}

	@Test
	void recorderWritesStreamingAtOnceAndAdvancingConfirmationsAtMostOncePerInterval() {
		RecordingHistory history = new RecordingHistory();
		AtomicLong nanos = new AtomicLong();
		SlotHistoryRecorder recorder = new SlotHistoryRecorder(history, Duration.ofSeconds(10), nanos::get,
				Clock.fixed(AT, ZoneOffset.UTC));
		recorder.confirmed(5); // not streaming yet
		recorder.streaming(KEY, 10, 1);
		nanos.addAndGet(Duration.ofSeconds(9).toNanos());
		recorder.confirmed(20); // within the interval
		nanos.addAndGet(Duration.ofSeconds(1).toNanos());
		recorder.confirmed(30);
		nanos.addAndGet(Duration.ofSeconds(10).toNanos());
		recorder.confirmed(30); // not advanced
		assertThat(history.records).extracting(SlotHistoryRecord::event, SlotHistoryRecord::confirmedLsn)
			.containsExactly(org.assertj.core.groups.Tuple.tuple(Event.STREAMING, 10L),
					org.assertj.core.groups.Tuple.tuple(Event.CONFIRMED, 30L));
	}

	@Test
	void recorderWritesAStandbyOnceAndStopsRecordingConfirmations() {
		RecordingHistory history = new RecordingHistory();
		AtomicLong nanos = new AtomicLong();
		SlotHistoryRecorder recorder = new SlotHistoryRecorder(history, Duration.ZERO, nanos::get,
				Clock.fixed(AT, ZoneOffset.UTC));
		recorder.standingBy(KEY, 7, 1);
		recorder.standingBy(KEY, 8, 1);
		recorder.confirmed(9);
		assertThat(history.records).extracting(SlotHistoryRecord::event).containsExactly(Event.STANDBY);
	}

	@Test
	void recorderTellsACreatedSlotFromOneCreatedAnew() {
		RecordingHistory history = new RecordingHistory();
		SlotHistoryRecorder recorder = new SlotHistoryRecorder(history, Duration.ZERO, System::nanoTime,
				Clock.fixed(AT, ZoneOffset.UTC));
		recorder.created(KEY, 1, false, 1);
		recorder.created(KEY, 2, true, 1);
		assertThat(history.records).extracting(SlotHistoryRecord::event)
			.containsExactly(Event.CREATED, Event.RECREATED);
	}

	@Test
	void recorderLeavesTheLastConfirmedPositionWhenASessionStopsWithinTheInterval() {
		RecordingHistory history = new RecordingHistory();
		AtomicLong nanos = new AtomicLong();
		SlotHistoryRecorder recorder = new SlotHistoryRecorder(history, Duration.ofSeconds(10), nanos::get,
				Clock.fixed(AT, ZoneOffset.UTC));
		recorder.streaming(KEY, 10, 3);
		nanos.addAndGet(Duration.ofSeconds(1).toNanos());
		recorder.confirmed(20); // held back by the interval
		recorder.stopped();
		recorder.stopped(); // nothing new
		assertThat(history.records)
			.extracting(SlotHistoryRecord::event, SlotHistoryRecord::confirmedLsn, SlotHistoryRecord::timeline)
			.containsExactly(org.assertj.core.groups.Tuple.tuple(Event.STREAMING, 10L, 3),
					org.assertj.core.groups.Tuple.tuple(Event.CONFIRMED, 20L, 3));
	}

	private static long lsn(String text) {
		return LogSequenceNumber.valueOf(text).asLong();
	}

	/** Keeps what would be written, in order. */
	private static final class RecordingHistory implements SlotHistory {

		private final List<SlotHistoryRecord> records = new ArrayList<>();

		@Override
		public Optional<SlotHistoryRecord> lastRecord(SlotKey key) {
			return this.records.isEmpty() ? Optional.empty() : Optional.of(this.records.get(this.records.size() - 1));
		}

		@Override
		public void record(SlotKey key, SlotHistoryRecord record) {
			assertThat(key).isEqualTo(KEY);
			this.records.add(record);
		}

		@Override
		public String describe() {
			return "memory";
		}

	}

}
