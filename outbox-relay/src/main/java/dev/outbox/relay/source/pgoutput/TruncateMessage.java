package dev.outbox.relay.source.pgoutput;

import java.util.List;

/**
 * Truncate ({@code 'T'}): one {@code TRUNCATE} statement, over one or more relations of the
 * publication. Not filtered: it is rare and worth logging when it touches the outbox table.
 *
 * @param relationOids the OIDs of the truncated relations
 * @param cascade whether {@code CASCADE} was given
 * @param restartIdentity whether {@code RESTART IDENTITY} was given
 */
public record TruncateMessage(List<Integer> relationOids, boolean cascade, boolean restartIdentity)
		implements PgOutputMessage {

	/** The protocol type byte. */
	public static final char TYPE = 'T';

	public TruncateMessage {
		relationOids = List.copyOf(relationOids);
	}

	@Override
	public char type() {
		return TYPE;
	}

}
