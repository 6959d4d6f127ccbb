package dev.outbox.relay.source.pgoutput;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import dev.outbox.relay.source.pgoutput.ChangeFilter.ChangeKind;
import dev.outbox.relay.source.pgoutput.RelationMessage.Column;
import dev.outbox.relay.source.pgoutput.RelationMessage.ReplicaIdentity;
import dev.outbox.relay.source.pgoutput.SkippedMessage.SkipReason;
import org.jspecify.annotations.Nullable;

/**
 * Decodes {@code pgoutput} messages (protocol version 1, text tuples), one XLogData payload at
 * a time.
 *
 * <p>Relation messages are kept in a {@link RelationCache} so that each Insert, Update and
 * Delete is decoded against the layout in force when it was written, and returned together
 * with that layout. Changes the {@link ChangeFilter} rejects are walked but not materialized,
 * which keeps the hot path (busy tables that share the WAL with the outbox, and the outbox's
 * own DELETEs) nearly allocation-free.
 *
 * <p>Logical decoding Messages ({@code 'M'}) are returned as {@link LogicalMessage}s only under
 * the decoder's message prefix; any other prefix is compared in place, byte by byte, and the
 * message skipped without copying its prefix or content.
 *
 * <p>Not thread-safe: one instance per replication session, used by the thread that reads
 * the stream.
 */
public final class PgOutputDecoder {

	private static final SkippedMessage FILTERED_INSERT = new SkippedMessage(InsertMessage.TYPE, SkipReason.FILTERED);

	private static final SkippedMessage FILTERED_UPDATE = new SkippedMessage(UpdateMessage.TYPE, SkipReason.FILTERED);

	private static final SkippedMessage FILTERED_DELETE = new SkippedMessage(DeleteMessage.TYPE, SkipReason.FILTERED);

	private static final SkippedMessage ORIGIN = new SkippedMessage('O', SkipReason.NOT_NEEDED);

	private static final SkippedMessage TYPE_DESCRIPTION = new SkippedMessage('Y', SkipReason.NOT_NEEDED);

	private static final SkippedMessage LOGICAL_MESSAGE = new SkippedMessage('M', SkipReason.NOT_NEEDED);

	private static final TupleData.Kind[] NO_KINDS = {};

	private static final String[] NO_TEXTS = {};

	private final ChangeFilter filter;

	private final RelationCache relations;

	private final WireReader in = new WireReader();

	private final byte @Nullable [] messagePrefix;

	private final @Nullable String messagePrefixText;

	/**
	 * Creates a decoder with an empty relation cache of its own, which skips every logical
	 * decoding Message.
	 * @param filter which changes to materialize
	 */
	public PgOutputDecoder(ChangeFilter filter) {
		this(filter, new RelationCache());
	}

	/**
	 * Creates a decoder with an empty relation cache of its own, which decodes the logical
	 * decoding Messages under one prefix.
	 * @param filter which changes to materialize
	 * @param messagePrefix the prefix whose Messages are decoded; Messages under any other are
	 * skipped
	 */
	public PgOutputDecoder(ChangeFilter filter, String messagePrefix) {
		this(filter, new RelationCache(), Objects.requireNonNull(messagePrefix, "messagePrefix"));
	}

	/**
	 * Creates a decoder that records relations in the given cache.
	 * @param filter which changes to materialize
	 * @param relations the cache to fill from Relation messages
	 */
	public PgOutputDecoder(ChangeFilter filter, RelationCache relations) {
		this(filter, relations, null);
	}

	private PgOutputDecoder(ChangeFilter filter, RelationCache relations, @Nullable String messagePrefix) {
		this.filter = Objects.requireNonNull(filter, "filter");
		this.relations = Objects.requireNonNull(relations, "relations");
		this.messagePrefix = (messagePrefix != null) ? messagePrefix.getBytes(StandardCharsets.UTF_8) : null;
		this.messagePrefixText = messagePrefix;
	}

	/**
	 * Returns the cache of relations this decoder has seen.
	 * @return the relation cache
	 */
	public RelationCache relations() {
		return this.relations;
	}

	/**
	 * Decodes one message. The buffer is read from its position to its limit and is left
	 * unchanged; nothing decoded refers to it afterwards.
	 * @param payload one XLogData payload, positioned at the message type byte, as
	 * {@code PGReplicationStream.readPending()} returns it
	 * @param lsn the payload's XLogData start LSN ({@code getLastReceiveLSN()} right after the
	 * read); used only in error messages
	 * @return the decoded message, or a {@link SkippedMessage} saying why it was not decoded
	 * @throws PgOutputDecodingException if the payload does not match its type's layout, or
	 * refers to a relation that no Relation message described
	 */
	public PgOutputMessage decode(ByteBuffer payload, long lsn) {
		WireReader in = this.in;
		in.reset(payload, lsn);
		try {
			int type = in.readType();
			return switch (type) {
				case BeginMessage.TYPE -> begin(in);
				case CommitMessage.TYPE -> commit(in);
				case RelationMessage.TYPE -> relation(in);
				case InsertMessage.TYPE -> insert(in);
				case UpdateMessage.TYPE -> update(in);
				case DeleteMessage.TYPE -> delete(in);
				case TruncateMessage.TYPE -> truncate(in);
				case 'O' -> origin(in);
				case 'Y' -> typeDescription(in);
				case LogicalMessage.TYPE -> logicalMessage(in);
				case 'S', 'E', 'c', 'A', 'b', 'P', 'K', 'r', 'p' -> new SkippedMessage((char) type,
						SkipReason.REQUIRES_NEWER_PROTOCOL);
				default -> new SkippedMessage((char) type, SkipReason.UNKNOWN_TYPE);
			};
		}
		finally {
			in.release();
		}
	}

	private BeginMessage begin(WireReader in) {
		long finalLsn = in.int64("final LSN");
		long commitTime = in.int64("commit timestamp");
		int xid = in.int32("xid");
		in.expectEnd();
		return new BeginMessage(finalLsn, PostgresEpoch.toInstant(commitTime), xid);
	}

	private CommitMessage commit(WireReader in) {
		in.int8("flags"); // unused in protocol version 1
		long commitLsn = in.int64("commit LSN");
		long endLsn = in.int64("end LSN");
		long commitTime = in.int64("commit timestamp");
		in.expectEnd();
		return new CommitMessage(commitLsn, endLsn, PostgresEpoch.toInstant(commitTime));
	}

	private RelationMessage relation(WireReader in) {
		int oid = in.int32("relation OID");
		String schema = in.string("namespace");
		String table = in.string("relation name");
		int identityOffset = in.position();
		int identityCode = in.int8("replica identity");
		ReplicaIdentity identity = ReplicaIdentity.ofCode(identityCode);
		if (identity == null) {
			throw in.errorAt(identityOffset, "unknown replica identity " + describe(identityCode));
		}
		int countOffset = in.position();
		int count = in.int16("column count");
		if (count < 0) {
			throw in.errorAt(countOffset, "negative column count " + count);
		}
		List<Column> columns = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			int flags = in.int8("column flags");
			String name = in.string("column name");
			int typeOid = in.int32("column type OID");
			int typeModifier = in.int32("column type modifier");
			columns.add(new Column(name, typeOid, typeModifier, (flags & 1) != 0));
		}
		in.expectEnd();
		RelationMessage relation = new RelationMessage(oid, schema, table, identity, columns);
		this.relations.put(relation);
		return relation;
	}

	private PgOutputMessage insert(WireReader in) {
		RelationMessage relation = changedRelation(in);
		boolean accepted = this.filter.accepts(relation, ChangeKind.INSERT);
		expectMarker(in, 'N', "new tuple marker");
		TupleData newTuple = tuple(in, relation, accepted);
		in.expectEnd();
		return accepted ? new InsertMessage(relation, required(newTuple)) : FILTERED_INSERT;
	}

	private PgOutputMessage update(WireReader in) {
		RelationMessage relation = changedRelation(in);
		boolean accepted = this.filter.accepts(relation, ChangeKind.UPDATE);
		TupleData oldKey = null;
		TupleData oldTuple = null;
		int markerOffset = in.position();
		int marker = in.int8("tuple marker");
		if (marker == 'K' || marker == 'O') {
			TupleData old = tuple(in, relation, accepted);
			if (marker == 'K') {
				oldKey = old;
			}
			else {
				oldTuple = old;
			}
			markerOffset = in.position();
			marker = in.int8("new tuple marker");
		}
		if (marker != 'N') {
			throw in.errorAt(markerOffset, "expected tuple marker 'K', 'O' or 'N' but found " + describe(marker));
		}
		TupleData newTuple = tuple(in, relation, accepted);
		in.expectEnd();
		return accepted ? new UpdateMessage(relation, oldKey, oldTuple, required(newTuple)) : FILTERED_UPDATE;
	}

	private PgOutputMessage delete(WireReader in) {
		RelationMessage relation = changedRelation(in);
		boolean accepted = this.filter.accepts(relation, ChangeKind.DELETE);
		int markerOffset = in.position();
		int marker = in.int8("old tuple marker");
		if (marker != 'K' && marker != 'O') {
			throw in.errorAt(markerOffset, "expected tuple marker 'K' or 'O' but found " + describe(marker));
		}
		TupleData old = tuple(in, relation, accepted);
		in.expectEnd();
		if (!accepted) {
			return FILTERED_DELETE;
		}
		return (marker == 'K') ? new DeleteMessage(relation, old, null) : new DeleteMessage(relation, null, old);
	}

	private TruncateMessage truncate(WireReader in) {
		int countOffset = in.position();
		int count = in.int32("relation count");
		int options = in.int8("option bits");
		if (count < 0 || count > in.remaining() / 4) {
			throw in.errorAt(countOffset, "relation count " + count + " does not match the " + in.remaining()
					+ " bytes that remain");
		}
		List<Integer> oids = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			oids.add(in.int32("relation OID"));
		}
		in.expectEnd();
		return new TruncateMessage(oids, (options & 1) != 0, (options & 2) != 0);
	}

	private SkippedMessage origin(WireReader in) {
		in.int64("origin commit LSN");
		in.skipString("origin name");
		in.expectEnd();
		return ORIGIN;
	}

	private SkippedMessage typeDescription(WireReader in) {
		in.int32("type OID");
		in.skipString("namespace");
		in.skipString("type name");
		in.expectEnd();
		return TYPE_DESCRIPTION;
	}

	/**
	 * Int8 flags (bit 1: transactional), Int64 LSN, String prefix, Int32 length, Byte[length]
	 * content. Streamed transactions would put an Int32 xid first; the relay never asks for
	 * {@code streaming}.
	 */
	private PgOutputMessage logicalMessage(WireReader in) {
		int flags = in.int8("flags");
		long lsn = in.int64("message LSN");
		byte[] wanted = this.messagePrefix;
		boolean ours = wanted != null && in.stringEquals(wanted, "prefix");
		if (!ours) {
			in.skipString("prefix");
		}
		int length = in.length("content length");
		if (!ours) {
			in.skip(length, "content");
			in.expectEnd();
			return LOGICAL_MESSAGE;
		}
		byte[] content = in.bytes(length, "content");
		in.expectEnd();
		return new LogicalMessage((flags & 1) != 0, lsn, required(this.messagePrefixText), content);
	}

	private static String required(@Nullable String prefix) {
		if (prefix == null) {
			throw new IllegalStateException("message decoded without a prefix");
		}
		return prefix;
	}

	private RelationMessage changedRelation(WireReader in) {
		int oidOffset = in.position();
		int oid = in.int32("relation OID");
		RelationMessage relation = this.relations.get(oid);
		if (relation == null) {
			throw in.errorAt(oidOffset, "relation OID " + Integer.toUnsignedString(oid)
					+ " was not described by a Relation message in this session");
		}
		return relation;
	}

	private static void expectMarker(WireReader in, char expected, String field) {
		int offset = in.position();
		int marker = in.int8(field);
		if (marker != expected) {
			throw in.errorAt(offset, "expected " + field + " '" + expected + "' but found " + describe(marker));
		}
	}

	/**
	 * Reads a TupleData part; builds it only when {@code materialize}, otherwise steps over it
	 * and returns {@code null}.
	 */
	private static @Nullable TupleData tuple(WireReader in, RelationMessage relation, boolean materialize) {
		int countOffset = in.position();
		int count = in.int16("tuple column count");
		if (count != relation.columns().size()) {
			throw in.errorAt(countOffset, "tuple has " + count + " columns but relation " + relation.qualifiedName()
					+ " (OID " + Integer.toUnsignedString(relation.oid()) + ") has " + relation.columns().size());
		}
		TupleData.Kind[] kinds = materialize ? new TupleData.Kind[count] : NO_KINDS;
		String[] texts = materialize ? new String[count] : NO_TEXTS;
		for (int i = 0; i < count; i++) {
			int kindOffset = in.position();
			int kind = in.int8("column value kind");
			TupleData.Kind decoded;
			String text = null;
			switch (kind) {
				case 'n' -> decoded = TupleData.Kind.NULL;
				case 'u' -> decoded = TupleData.Kind.UNCHANGED_TOAST;
				case 't' -> {
					decoded = TupleData.Kind.TEXT;
					int length = in.length("column value length");
					if (materialize) {
						text = in.text(length, "column value");
					}
					else {
						in.skip(length, "column value");
					}
				}
				case 'b' -> {
					if (materialize) {
						throw in.errorAt(kindOffset, "binary value for column " + relation.columns().get(i).name()
								+ " of " + relation.qualifiedName() + "; the relay requests text format only");
					}
					decoded = TupleData.Kind.NULL; // never stored: the tuple is not materialized
					in.skip(in.length("column value length"), "column value");
				}
				default -> throw in.errorAt(kindOffset, "unknown value kind " + describe(kind) + " for column "
						+ relation.columns().get(i).name() + " of " + relation.qualifiedName());
			}
			if (materialize) {
				kinds[i] = decoded;
				texts[i] = text;
			}
		}
		return materialize ? new TupleData(kinds, texts) : null;
	}

	private static TupleData required(@Nullable TupleData tuple) {
		if (tuple == null) {
			throw new IllegalStateException("accepted change has no materialized tuple");
		}
		return tuple;
	}

	private static String describe(int value) {
		return (value >= 0x21 && value <= 0x7e) ? "'" + (char) value + "'" : String.format("0x%02x", value & 0xff);
	}

}
