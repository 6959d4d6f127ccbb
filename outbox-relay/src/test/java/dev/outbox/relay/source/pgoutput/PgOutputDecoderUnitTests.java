package dev.outbox.relay.source.pgoutput;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.outbox.relay.source.pgoutput.RelationMessage.ReplicaIdentity;
import dev.outbox.relay.source.pgoutput.SkippedMessage.SkipReason;

import static dev.outbox.relay.source.pgoutput.PgOutputBytes.column;
import static dev.outbox.relay.source.pgoutput.PgOutputBytes.key;
import static dev.outbox.relay.source.pgoutput.PgOutputBytes.message;
import static dev.outbox.relay.source.pgoutput.PgOutputBytes.nul;
import static dev.outbox.relay.source.pgoutput.PgOutputBytes.text;
import static dev.outbox.relay.source.pgoutput.PgOutputBytes.unchangedToast;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Decoding of hand-built {@code pgoutput} payloads, one behaviour per test.
 */
class PgOutputDecoderUnitTests {

	private static final int OUTBOX_OID = 16_400;

	private static final int ORDERS_OID = 16_500;

	private static final long LSN = 0x1_6B37_4800L;

	private static final int UUID = 2950;

	private static final int VARCHAR = 1043;

	private static final int JSONB = 3802;

	private static final int TIMESTAMPTZ = 1184;

	private final PgOutputDecoder decoder = new PgOutputDecoder(ChangeFilter.insertsInto("public", "outbox_event"));

	@Test
	void beginCarriesFinalLsnXidAndCommitTimeFromThePostgresEpoch() {
		Instant commitTime = Instant.parse("2026-11-25T12:34:56.123456Z");

		PgOutputMessage message = decode(PgOutputBytes.begin(0x2_0000_0010L, commitTime, 7_777));

		assertThat(message).isEqualTo(new BeginMessage(0x2_0000_0010L, commitTime, 7_777));
	}

	@Test
	void commitCarriesCommitAndEndLsn() {
		Instant commitTime = Instant.parse("2026-11-25T12:34:56Z");

		PgOutputMessage message = decode(PgOutputBytes.commit(0x2_0000_0010L, 0x2_0000_0040L, commitTime));

		assertThat(message).isEqualTo(new CommitMessage(0x2_0000_0010L, 0x2_0000_0040L, commitTime));
	}

	@Test
	void commitTimeBeforeThePostgresEpochIsNegativeMicros() {
		Instant commitTime = Instant.parse("1999-12-31T23:59:59.999999Z");

		BeginMessage begin = (BeginMessage) decode(PgOutputBytes.begin(1, commitTime, 1));

		assertThat(begin.commitTime()).isEqualTo(commitTime);
	}

	@Test
	void relationIsDecodedAndCachedByOid() {
		PgOutputMessage message = decode(outboxRelation());

		assertThat(message).isInstanceOfSatisfying(RelationMessage.class, (relation) -> {
			assertThat(relation.oid()).isEqualTo(OUTBOX_OID);
			assertThat(relation.qualifiedName()).isEqualTo("public.outbox_event");
			assertThat(relation.replicaIdentity()).isEqualTo(ReplicaIdentity.DEFAULT);
			assertThat(relation.columns()).extracting(RelationMessage.Column::name)
				.containsExactly("id", "aggregate_type", "aggregate_id", "event_type", "payload", "headers", "created_at");
			assertThat(relation.columns().get(0).key()).isTrue();
			assertThat(relation.columns().get(0).typeOid()).isEqualTo(UUID);
			assertThat(relation.columns().get(1).key()).isFalse();
			assertThat(relation.columnIndex("created_at")).isEqualTo(6);
			assertThat(relation.columnIndex("missing")).isEqualTo(-1);
		});
		assertThat(this.decoder.relations().get(OUTBOX_OID)).isSameAs(message);
	}

	@Test
	void outboxInsertIsDecodedAgainstItsRelationWithNullsAndUnicode() {
		decode(outboxRelation());

		PgOutputMessage message = decode(PgOutputBytes.insert(OUTBOX_OID, text("0b6f3c1e-1d2a-4a55-9a43-5f8f4bd0c001"),
				text("Ordér"), text("订单-42"), text("OrderPlaced"), text("{\"note\": \"naïve ☕ 🚀\"}"), nul(),
				text("2026-11-25 12:34:56.123456+00")));

		assertThat(message).isInstanceOfSatisfying(InsertMessage.class, (insert) -> {
			assertThat(insert.relationOid()).isEqualTo(OUTBOX_OID);
			assertThat(insert.relation().table()).isEqualTo("outbox_event");
			TupleData tuple = insert.newTuple();
			assertThat(tuple.size()).isEqualTo(7);
			assertThat(tuple.text(1)).isEqualTo("Ordér");
			assertThat(tuple.text(2)).isEqualTo("订单-42");
			assertThat(tuple.text(4)).isEqualTo("{\"note\": \"naïve ☕ 🚀\"}");
			assertThat(tuple.kind(5)).isEqualTo(TupleData.Kind.NULL);
			assertThat(tuple.text(5)).isNull();
			assertThat(tuple.toMap(insert.relation())).containsEntry("aggregate_id", "订单-42")
				.containsEntry("headers", null)
				.containsEntry("created_at", "2026-11-25 12:34:56.123456+00");
		});
	}

	@Test
	void insertIntoAnotherTableIsSkippedAsFiltered() {
		decode(ordersRelation());

		PgOutputMessage first = decode(PgOutputBytes.insert(ORDERS_OID, text("1"), text("ünïcode")));
		PgOutputMessage second = decode(PgOutputBytes.insert(ORDERS_OID, text("2"), nul()));

		assertThat(first).isEqualTo(new SkippedMessage('I', SkipReason.FILTERED));
		assertThat(second).as("skipping allocates no result per message").isSameAs(first);
	}

	@Test
	void filteredChangeIsStillValidatedToItsEnd() {
		decode(ordersRelation());
		ByteBuffer withTrailingByte = message('I').int32(ORDERS_OID).int8('N').tuple(text("1"), nul()).int8(0).buffer();

		assertThatExceptionOfType(PgOutputDecodingException.class).isThrownBy(() -> decode(withTrailingByte))
			.withMessageContaining("Insert ('I')")
			.withMessageContaining("1 unexpected bytes after the last field");
	}

	@Test
	void deleteOfTheOutboxRowIsSkippedByTheOutboxFilter() {
		decode(outboxRelation());

		PgOutputMessage message = decode(PgOutputBytes.delete(OUTBOX_OID, 'K', text("0b6f3c1e-1d2a-4a55-9a43-5f8f4bd0c001"),
				nul(), nul(), nul(), nul(), nul(), nul()));

		assertThat(message).isEqualTo(new SkippedMessage('D', SkipReason.FILTERED));
	}

	@Test
	void deleteCarriesTheOldKeyWhenAccepted() {
		PgOutputDecoder all = new PgOutputDecoder(ChangeFilter.all());
		all.decode(ordersRelation(), LSN);

		PgOutputMessage message = all.decode(PgOutputBytes.delete(ORDERS_OID, 'K', text("7"), nul()), LSN);

		assertThat(message).isInstanceOfSatisfying(DeleteMessage.class, (delete) -> {
			assertThat(delete.oldTuple()).isNull();
			assertThat(delete.oldKey()).isEqualTo(TupleData.ofTexts("7", null));
		});
	}

	@Test
	void updateMarksUnchangedToastValuesAndCarriesTheOldKey() {
		PgOutputDecoder all = new PgOutputDecoder(ChangeFilter.all());
		all.decode(ordersRelation(), LSN);
		ByteBuffer update = message('U').int32(ORDERS_OID).int8('K').tuple(text("7"), nul()).int8('N')
			.tuple(text("8"), unchangedToast())
			.buffer();

		PgOutputMessage message = all.decode(update, LSN);

		assertThat(message).isInstanceOfSatisfying(UpdateMessage.class, (change) -> {
			assertThat(change.oldKey()).isEqualTo(TupleData.ofTexts("7", null));
			assertThat(change.oldTuple()).isNull();
			assertThat(change.newTuple().text(0)).isEqualTo("8");
			assertThat(change.newTuple().kind(1)).isEqualTo(TupleData.Kind.UNCHANGED_TOAST);
			assertThat(change.newTuple().toMap(change.relation())).containsOnlyKeys("id");
		});
	}

	@Test
	void updateWithoutOldValuesCarriesOnlyTheNewTuple() {
		PgOutputDecoder all = new PgOutputDecoder(ChangeFilter.all());
		all.decode(ordersRelation(), LSN);

		PgOutputMessage message = all.decode(message('U').int32(ORDERS_OID).int8('N').tuple(text("8"), text("x")).buffer(),
				LSN);

		assertThat(message).isEqualTo(new UpdateMessage(all.relations().get(ORDERS_OID), null, null,
				TupleData.ofTexts("8", "x")));
	}

	@Test
	void relationChangeBetweenInsertsDecodesEachInsertAgainstTheLayoutInForce() {
		decode(outboxRelation());
		InsertMessage before = (InsertMessage) decode(PgOutputBytes.insert(OUTBOX_OID, text("a"), text("Order"),
				text("1"), text("Placed"), text("{}"), nul(), text("2026-11-25 12:00:00+00")));
		ByteBuffer altered = PgOutputBytes.relation(OUTBOX_OID, "public", "outbox_event", 'd', key("id", UUID),
				column("tenant", VARCHAR), column("aggregate_type", VARCHAR), column("aggregate_id", VARCHAR),
				column("event_type", VARCHAR), column("payload", JSONB), column("headers", JSONB),
				column("created_at", TIMESTAMPTZ));
		decode(altered);

		InsertMessage after = (InsertMessage) decode(PgOutputBytes.insert(OUTBOX_OID, text("b"), text("acme"),
				text("Order"), text("2"), text("Shipped"), text("{}"), text("{\"k\": \"v\"}"),
				text("2026-11-25 12:00:01+00")));

		assertThat(before.newTuple().toMap(before.relation())).containsEntry("aggregate_type", "Order")
			.doesNotContainKey("tenant");
		assertThat(after.newTuple().toMap(after.relation())).containsEntry("tenant", "acme")
			.containsEntry("aggregate_type", "Order")
			.containsEntry("headers", "{\"k\": \"v\"}");
		assertThat(after.relation()).isNotSameAs(before.relation());
	}

	@Test
	void insertWithTheOldColumnCountAfterARelationChangeIsMalformed() {
		decode(ordersRelation());
		decode(PgOutputBytes.relation(ORDERS_OID, "public", "orders", 'd', key("id", 23)));

		PgOutputDecoder all = new PgOutputDecoder(ChangeFilter.all(), this.decoder.relations());
		assertThatExceptionOfType(PgOutputDecodingException.class)
			.isThrownBy(() -> all.decode(PgOutputBytes.insert(ORDERS_OID, text("1"), text("x")), LSN))
			.withMessageContaining("tuple has 2 columns but relation public.orders (OID 16500) has 1")
			.satisfies((ex) -> assertThat(ex.offset()).isEqualTo(6));
	}

	@Test
	void truncateListsItsRelationsAndOptions() {
		ByteBuffer truncate = message('T').int32(2).int8(3).int32(OUTBOX_OID).int32(ORDERS_OID).buffer();

		PgOutputMessage message = decode(truncate);

		assertThat(message).isEqualTo(new TruncateMessage(List.of(OUTBOX_OID, ORDERS_OID), true, true));
	}

	@Test
	void originTypeAndLogicalMessageAreSkippedAsNotNeeded() {
		ByteBuffer origin = message('O').int64(LSN).string("upstream").buffer();
		ByteBuffer type = message('Y').int32(90_001).string("public").string("mood").buffer();
		ByteBuffer logical = message('M').int8(1).int64(LSN).string("outbox").int32(3).bytes(new byte[] { 1, 2, 3 })
			.buffer();

		assertThat(List.of(decode(origin), decode(type), decode(logical))).containsExactly(
				new SkippedMessage('O', SkipReason.NOT_NEEDED), new SkippedMessage('Y', SkipReason.NOT_NEEDED),
				new SkippedMessage('M', SkipReason.NOT_NEEDED));
	}

	@Test
	void unknownMessageTypeIsSkippedWithItsReasonNotThrown() {
		PgOutputMessage message = decode(message('Z').int64(42).buffer());

		assertThat(message).isEqualTo(new SkippedMessage('Z', SkipReason.UNKNOWN_TYPE));
		assertThat(message.toString()).contains("unknown ('Z')").contains("unknown message type");
	}

	@Test
	void streamingMessagesOfNewerProtocolsAreSkippedAsSuch() {
		PgOutputMessage message = decode(message('S').int32(99).int8(1).buffer());

		assertThat(message).isEqualTo(new SkippedMessage('S', SkipReason.REQUIRES_NEWER_PROTOCOL));
	}

	@Test
	void truncatedBeginNamesTheMessageTypeOffsetAndLsn() {
		ByteBuffer truncated = message('B').int64(1).int64(2).int32(3).truncatedBy(2);

		assertThatExceptionOfType(PgOutputDecodingException.class).isThrownBy(() -> decode(truncated))
			.withMessage("Malformed pgoutput Begin ('B') message at LSN 1/6B374800, offset 17 of 19: "
					+ "truncated: xid needs 4 bytes, 2 remain")
			.satisfies((ex) -> {
				assertThat(ex.messageType()).isEqualTo('B');
				assertThat(ex.offset()).isEqualTo(17);
				assertThat(ex.lsn()).isEqualTo(LSN);
			});
	}

	@Test
	void truncatedTupleValueIsMalformedAtTheValue() {
		decode(outboxRelation());
		ByteBuffer truncated = message('I').int32(OUTBOX_OID).int8('N').int16(7).int8('t').int32(36).bytes(new byte[10])
			.buffer();

		assertThatExceptionOfType(PgOutputDecodingException.class).isThrownBy(() -> decode(truncated))
			.withMessageContaining("Insert ('I')")
			.withMessageContaining("offset 9 of 23")
			.withMessageContaining("column value length 36 exceeds the 10 bytes that remain");
	}

	@Test
	void stringWithoutTerminatorIsMalformed() {
		ByteBuffer relation = message('R').int32(1).bytes("public".getBytes()).buffer();

		assertThatExceptionOfType(PgOutputDecodingException.class).isThrownBy(() -> decode(relation))
			.withMessageContaining("Relation ('R')")
			.withMessageContaining("offset 5")
			.withMessageContaining("namespace has no terminating NUL byte");
	}

	@Test
	void trailingBytesAfterAKnownMessageAreMalformed() {
		ByteBuffer commit = message('C').int8(0).int64(1).int64(2).int64(3).int32(0).buffer();

		assertThatExceptionOfType(PgOutputDecodingException.class).isThrownBy(() -> decode(commit))
			.withMessageContaining("Commit ('C')")
			.withMessageContaining("offset 26 of 30: 4 unexpected bytes after the last field");
	}

	@Test
	void negativeValueLengthIsMalformed() {
		decode(ordersRelation());
		PgOutputDecoder all = new PgOutputDecoder(ChangeFilter.all(), this.decoder.relations());

		assertThatExceptionOfType(PgOutputDecodingException.class)
			.isThrownBy(() -> all.decode(message('I').int32(ORDERS_OID).int8('N').int16(2).int8('t').int32(-5).buffer(), LSN))
			.withMessageContaining("negative column value length -5");
	}

	@Test
	void unknownTupleValueKindIsMalformedAndNamesTheColumn() {
		decode(ordersRelation());

		assertThatExceptionOfType(PgOutputDecodingException.class)
			.isThrownBy(() -> decode(message('I').int32(ORDERS_OID).int8('N').int16(2).int8('n').int8('x').buffer()))
			.withMessageContaining("offset 9")
			.withMessageContaining("unknown value kind 'x' for column note of public.orders");
	}

	@Test
	void binaryValueOfAnAcceptedChangeIsRejectedBecauseOnlyTextIsRequested() {
		decode(outboxRelation());
		ByteBuffer insert = message('I').int32(OUTBOX_OID).int8('N').int16(7).int8('b').int32(1).int8(0).buffer();

		assertThatExceptionOfType(PgOutputDecodingException.class).isThrownBy(() -> decode(insert))
			.withMessageContaining("binary value for column id of public.outbox_event");
	}

	@Test
	void missingNewTupleMarkerIsMalformed() {
		decode(outboxRelation());

		assertThatExceptionOfType(PgOutputDecodingException.class)
			.isThrownBy(() -> decode(message('I').int32(OUTBOX_OID).int8('O').int16(0).buffer()))
			.withMessageContaining("expected new tuple marker 'N' but found 'O'");
	}

	@Test
	void changeToAnUndescribedRelationIsMalformed() {
		assertThatExceptionOfType(PgOutputDecodingException.class)
			.isThrownBy(() -> decode(PgOutputBytes.insert(99, text("1"))))
			.withMessageContaining("offset 1")
			.withMessageContaining("relation OID 99 was not described by a Relation message in this session");
	}

	@Test
	void unknownReplicaIdentityIsMalformed() {
		ByteBuffer relation = message('R').int32(1).string("public").string("t").int8('z').int16(0).buffer();

		assertThatExceptionOfType(PgOutputDecodingException.class).isThrownBy(() -> decode(relation))
			.withMessageContaining("offset 14")
			.withMessageContaining("unknown replica identity 'z'");
	}

	@Test
	void emptyPayloadIsMalformed() {
		assertThatExceptionOfType(PgOutputDecodingException.class).isThrownBy(() -> decode(ByteBuffer.allocate(0)))
			.withMessageContaining("offset 0 of 0: empty payload");
	}

	@Test
	void decodingReadsFromThePositionAndLeavesTheBufferUnchanged() {
		byte[] payload = PgOutputBytes.commit(5, 6, Instant.EPOCH).array();
		byte[] framed = new byte[payload.length + 25]; // pgjdbc's slice: XLogData header before the payload
		System.arraycopy(payload, 0, framed, 25, payload.length);
		ByteBuffer sliced = ByteBuffer.wrap(framed, 25, payload.length).slice();
		ByteBuffer positioned = ByteBuffer.wrap(framed).position(25);

		assertThat(decode(sliced)).isEqualTo(new CommitMessage(5, 6, Instant.EPOCH));
		assertThat(decode(positioned)).isEqualTo(new CommitMessage(5, 6, Instant.EPOCH));
		assertThat(positioned.position()).isEqualTo(25);
		assertThat(sliced.position()).isZero();
	}

	@Test
	void directBuffersDecodeLikeHeapBuffers() {
		decode(outboxRelation());
		byte[] insert = PgOutputBytes.insert(OUTBOX_OID, text("id"), text("Ordér"), text("1"), text("Placed"), text("{}"),
				nul(), text("2026-11-25 12:00:00+00")).array();
		ByteBuffer direct = ByteBuffer.allocateDirect(insert.length).put(insert).flip();

		InsertMessage message = (InsertMessage) decode(direct);

		assertThat(message.newTuple().text(1)).isEqualTo("Ordér");
	}

	private PgOutputMessage decode(ByteBuffer payload) {
		return this.decoder.decode(payload, LSN);
	}

	private static ByteBuffer outboxRelation() {
		return PgOutputBytes.relation(OUTBOX_OID, "public", "outbox_event", 'd', key("id", UUID),
				column("aggregate_type", VARCHAR), column("aggregate_id", VARCHAR), column("event_type", VARCHAR),
				column("payload", JSONB), column("headers", JSONB), column("created_at", TIMESTAMPTZ));
	}

	private static ByteBuffer ordersRelation() {
		return PgOutputBytes.relation(ORDERS_OID, "public", "orders", 'd', key("id", 23), column("note", 25));
	}

}
