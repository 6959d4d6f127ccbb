package dev.outbox.relay.source;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import dev.outbox.contract.TableName;
import dev.outbox.relay.event.MalformedEvent;
import dev.outbox.relay.event.OutboxRow;
import dev.outbox.relay.source.pgoutput.PgOutputBytes;

import static dev.outbox.relay.source.pgoutput.PgOutputBytes.column;
import static dev.outbox.relay.source.pgoutput.PgOutputBytes.key;
import static dev.outbox.relay.source.pgoutput.PgOutputBytes.nul;
import static dev.outbox.relay.source.pgoutput.PgOutputBytes.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The source on a scripted stream: what it hands the listener, what it confirms, and when it
 * takes a silent connection as lost.
 */
class ReplicationSourceUnitTests {

	private static final int OUTBOX_OID = 16_400;

	private static final int ORDERS_OID = 16_500;

	private static final Instant COMMIT_TIME = Instant.parse("2026-12-05T10:00:00Z");

	private static final String PREFIX = "outbox:public.outbox_event";

	private static final String EVENT = "{\"id\": \"m-1\", \"aggregate_type\": \"order\", \"aggregate_id\": \"o-1\", "
			+ "\"event_type\": \"OrderPlaced\", \"payload\": {\"total\": 1}}";

	private final ScriptedStream stream = new ScriptedStream();

	private final AtomicLong confirmable = new AtomicLong(0x100);

	private final List<Long> reported = new ArrayList<>();

	private final RecordingListener listener = new RecordingListener();

	@Test
	void outboxInsertsOfACommittedTransactionReachTheListenerBetweenBeginAndCommitAndOtherTablesDoNot()
			throws Exception {
		ReplicationSource source = source(Duration.ofSeconds(30));
		this.stream.add(0x200, PgOutputBytes.begin(0x300, COMMIT_TIME, 7));
		this.stream.add(0x210, outboxRelation());
		this.stream.add(0x220, PgOutputBytes.relation(ORDERS_OID, "public", "orders", 'd', key("id", 23)));
		this.stream.add(0x230, PgOutputBytes.insert(ORDERS_OID, text("1")));
		this.stream.add(0x240, outboxInsert("0b6f3c1e-1d2a-4a55-9a43-5f8f4bd0c001"));
		this.stream.add(0x250, PgOutputBytes.commit(0x300, 0x310, COMMIT_TIME));

		while (source.poll(this.listener)) {
			// read all
		}

		assertThat(this.listener.calls).containsExactly("begin " + COMMIT_TIME.toEpochMilli(),
				"row 0b6f3c1e-1d2a-4a55-9a43-5f8f4bd0c001 at 240", "commit 310 received 250", "caughtUp 250");
	}

	@Test
	void confirmsWhatTheSupplierSaysOnlyAndNothingElse() throws Exception {
		ReplicationSource source = source(Duration.ofSeconds(30));
		this.stream.add(0x200, PgOutputBytes.begin(0x300, COMMIT_TIME, 7));
		this.stream.add(0x250, PgOutputBytes.commit(0x300, 0x310, COMMIT_TIME));
		while (source.poll(this.listener)) {
			// read all
		}
		this.confirmable.set(0x180);

		source.confirmNow();

		assertThat(this.stream.confirmed).containsExactly(0x180L);
		assertThat(this.reported).containsExactly(0x180L);
	}

	@Test
	void rowThatBreaksTheTableContractStopsTheSourceNamingItsPosition() throws Exception {
		ReplicationSource source = source(Duration.ofSeconds(30));
		this.stream.add(0x200, PgOutputBytes.begin(0x300, COMMIT_TIME, 7));
		this.stream.add(0x210, outboxRelation());
		this.stream.add(0x240, PgOutputBytes.insert(OUTBOX_OID, text("0b6f3c1e-1d2a-4a55-9a43-5f8f4bd0c001"),
				text("order"), nul(), text("OrderPlaced"), text("{}"), nul(), text("2026-12-05 10:00:00+00")));
		source.poll(this.listener);
		source.poll(this.listener);

		assertThatExceptionOfType(UnreadableRowException.class).isThrownBy(() -> source.poll(this.listener))
			.satisfies((ex) -> assertThat(ex.lsn()).isEqualTo(0x240))
			.withMessageContaining("0/240")
			.withMessageContaining("aggregate_id");
	}

	@Test
	void messageUnderTheOutboxPrefixIsARowOfItsTransactionWithTheCommitTimeAndItsOwnLsn() throws Exception {
		ReplicationSource source = source(Duration.ofSeconds(30));
		this.stream.add(0x200, PgOutputBytes.begin(0x300, COMMIT_TIME, 7));
		this.stream.add(0x210, outboxRelation());
		this.stream.add(0x220, outboxInsert("0b6f3c1e-1d2a-4a55-9a43-5f8f4bd0c001"));
		this.stream.add(0x230, PgOutputBytes.logicalMessage(true, 0x230, PREFIX, EVENT.getBytes(StandardCharsets.UTF_8)));
		this.stream.add(0x240, PgOutputBytes.logicalMessage(true, 0x240, "outbox:public.other", EVENT.getBytes(
				StandardCharsets.UTF_8)));
		this.stream.add(0x250, PgOutputBytes.commit(0x300, 0x310, COMMIT_TIME));

		while (source.poll(this.listener)) {
			// read all
		}

		assertThat(this.listener.calls).containsExactly("begin " + COMMIT_TIME.toEpochMilli(),
				"row 0b6f3c1e-1d2a-4a55-9a43-5f8f4bd0c001 at 220", "row m-1 at 230", "commit 310 received 250",
				"caughtUp 250");
		assertThat(this.listener.rows.get(1)).isEqualTo(new OutboxRow("m-1", "order", "o-1", "OrderPlaced",
				"{\"total\": 1}", null, COMMIT_TIME, 0x230));
	}

	@Test
	void messageUnderTheOutboxPrefixStopsAShardedSourceWithoutHandingItOn() throws Exception {
		ReplicationSource source = new ReplicationSource(this.stream,
				new ReplicationSource.StreamSettings("slot_0", "pub_0", Duration.ofDays(1), Duration.ofSeconds(30), true),
				TableName.parse("public.outbox_event", "outbox.relay.table"), this.confirmable::get, this.reported::add);
		this.stream.add(0x200, PgOutputBytes.begin(0x300, COMMIT_TIME, 7));
		this.stream.add(0x230, PgOutputBytes.logicalMessage(true, 0x230, PREFIX, EVENT.getBytes(StandardCharsets.UTF_8)));

		assertThat(source.poll(this.listener)).isTrue();
		assertThatExceptionOfType(UnreadableRowException.class).isThrownBy(() -> source.poll(this.listener))
			.satisfies((ex) -> assertThat(ex.lsn()).isEqualTo(0x230))
			.withMessageContaining("reached a sharded source")
			.withMessageContaining("outbox.relay.sources[n].shards");
		assertThat(this.listener.calls).containsExactly("begin " + COMMIT_TIME.toEpochMilli());
	}

	@Test
	void malformedMessageUnderThePrefixTakesAnEventsPlaceInItsTransaction() throws Exception {
		ReplicationSource source = source(Duration.ofSeconds(30));
		this.stream.add(0x200, PgOutputBytes.begin(0x300, COMMIT_TIME, 7));
		this.stream.add(0x230, PgOutputBytes.logicalMessage(true, 0x230, PREFIX, "[1]".getBytes(StandardCharsets.UTF_8)));
		this.stream.add(0x250, PgOutputBytes.commit(0x300, 0x310, COMMIT_TIME));

		while (source.poll(this.listener)) {
			// read all
		}

		assertThat(this.listener.calls).hasSize(4);
		assertThat(this.listener.calls.get(1)).startsWith("malformed at 230: Message under prefix " + PREFIX
				+ " at LSN 0/230: the content is not a JSON object");
		assertThat(this.listener.calls.get(2)).isEqualTo("commit 310 received 250");
	}

	@Test
	void nonTransactionalMessageUnderThePrefixIsRefusedInATransactionOfItsOwnEndingAtTheMessage() throws Exception {
		ReplicationSource source = source(Duration.ofSeconds(30));
		this.stream.add(0x200, PgOutputBytes.begin(0x300, COMMIT_TIME, 7));
		this.stream.add(0x250, PgOutputBytes.commit(0x300, 0x310, COMMIT_TIME));
		this.stream.add(0x320, PgOutputBytes.logicalMessage(false, 0x320, PREFIX, EVENT.getBytes(StandardCharsets.UTF_8)));

		while (source.poll(this.listener)) {
			// read all
		}

		assertThat(this.listener.calls).hasSize(6);
		assertThat(this.listener.calls.get(2)).startsWith("begin ");
		assertThat(this.listener.calls.get(3)).startsWith("malformed at 320: Message under prefix " + PREFIX
				+ " at LSN 0/320 was emitted with transactional = false");
		assertThat(this.listener.calls.get(4)).isEqualTo("commit 320 received 320");
	}

	@Test
	void connectionSilentLongerThanTheReplicationTimeoutIsTakenAsLostNamingTheSetting() throws Exception {
		ReplicationSource source = source(Duration.ofSeconds(5));
		this.stream.silence = Duration.ofSeconds(6);

		assertThatExceptionOfType(SQLException.class).isThrownBy(() -> source.poll(this.listener))
			.withMessageContaining("outbox.relay.replication-timeout");
		assertThat(this.listener.calls).isEmpty();
	}

	@Test
	void silenceIsNotCheckedWhenTheReplicationTimeoutIsZero() throws Exception {
		ReplicationSource source = source(Duration.ZERO);
		this.stream.silence = Duration.ofDays(1);

		assertThat(source.poll(this.listener)).isFalse();
		assertThat(this.listener.calls).containsExactly("caughtUp 0");
	}

	private ReplicationSource source(Duration replicationTimeout) {
		return new ReplicationSource(this.stream,
				new ReplicationSource.StreamSettings("slot", "pub", Duration.ofDays(1), replicationTimeout, false),
				TableName.parse("public.outbox_event", "outbox.relay.table"), this.confirmable::get, this.reported::add);
	}

	private static ByteBuffer outboxRelation() {
		return PgOutputBytes.relation(OUTBOX_OID, "public", "outbox_event", 'd', key("id", 2950),
				column("aggregate_type", 1043), column("aggregate_id", 1043), column("event_type", 1043),
				column("payload", 3802), column("headers", 3802), column("created_at", 1184));
	}

	private static ByteBuffer outboxInsert(String id) {
		return PgOutputBytes.insert(OUTBOX_OID, text(id), text("order"), text("o-1"), text("OrderPlaced"),
				text("{\"total\":1}"), nul(), text("2026-12-05 10:00:00+00"));
	}

	/** Messages handed out in order, each with the LSN pgjdbc would report for it. */
	private static final class ScriptedStream implements ServerStream {

		private final Deque<Object[]> messages = new ArrayDeque<>();

		private final List<Long> confirmed = new ArrayList<>();

		private long lastReceived;

		private Duration silence = Duration.ZERO;

		void add(long lsn, ByteBuffer message) {
			this.messages.add(new Object[] { lsn, message });
		}

		@Override
		public @Nullable ByteBuffer readPending() {
			Object[] next = this.messages.poll();
			if (next == null) {
				return null;
			}
			this.lastReceived = (Long) next[0];
			return (ByteBuffer) next[1];
		}

		@Override
		public long lastReceivedLsn() {
			return this.lastReceived;
		}

		@Override
		public void confirm(long lsn) {
			this.confirmed.add(lsn);
		}

		@Override
		public Duration silence() {
			return this.silence;
		}

		@Override
		public void close() {
		}

	}

	private static final class RecordingListener implements ChangeListener {

		private final List<String> calls = new ArrayList<>();

		private final List<OutboxRow> rows = new ArrayList<>();

		@Override
		public void begin(long commitMillis) {
			this.calls.add("begin " + commitMillis);
		}

		@Override
		public void row(OutboxRow row) {
			this.calls.add("row " + row.id() + " at " + Long.toHexString(row.lsn()));
			this.rows.add(row);
		}

		@Override
		public void malformed(MalformedEvent event) {
			this.calls.add("malformed at " + Long.toHexString(event.lsn()) + ": " + event.problem().getMessage());
		}

		@Override
		public void commit(long endLsn, long receivedLsn) {
			this.calls.add("commit " + Long.toHexString(endLsn) + " received " + Long.toHexString(receivedLsn));
		}

		@Override
		public void caughtUp(long receivedLsn) {
			this.calls.add("caughtUp " + Long.toHexString(receivedLsn));
		}

	}

}
