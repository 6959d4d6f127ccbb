package dev.outbox.relay.source.pgoutput;

/**
 * One decoded {@code pgoutput} message: the result of decoding one XLogData payload.
 *
 * <p>The permitted types are the ones the relay acts on. Everything else (Origin, Type,
 * logical decoding Messages under another prefix than the decoder's, messages of newer protocol
 * versions, unknown types, and changes rejected by the {@link ChangeFilter}) is a
 * {@link SkippedMessage} that carries its reason.
 *
 * <p>Transaction framing (protocol version 1, no {@code streaming}): the server sends a
 * transaction only once it has committed, as {@link BeginMessage}, then its changes
 * (with {@link RelationMessage}s placed before the first change to a relation it has not
 * described yet in this session) and its transactional {@link LogicalMessage}s, then
 * {@link CommitMessage}. Transactions arrive one after
 * another in commit order and never interleave.
 */
public sealed interface PgOutputMessage
		permits BeginMessage, CommitMessage, RelationMessage, InsertMessage, UpdateMessage, DeleteMessage,
		TruncateMessage, LogicalMessage, SkippedMessage {

	/**
	 * Returns the protocol's type byte of this message, for example {@code 'I'} for Insert.
	 * @return the type byte as a character
	 */
	char type();

}
