package dev.outbox.relay.source.pgoutput;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.outbox.relay.source.pgoutput.RelationMessage.Column;
import dev.outbox.relay.source.pgoutput.RelationMessage.ReplicaIdentity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.entry;

/**
 * Access to tuple values: SQL NULL versus an unchanged TOAST value that was never sent.
 */
class TupleDataUnitTests {

	private static final RelationMessage RELATION = new RelationMessage(1, "public", "t", ReplicaIdentity.DEFAULT,
			List.of(new Column("id", 23, -1, true), new Column("big", 25, -1, false), new Column("note", 25, -1, false)));

	private final TupleData tuple = new TupleData(
			new TupleData.Kind[] { TupleData.Kind.TEXT, TupleData.Kind.UNCHANGED_TOAST, TupleData.Kind.NULL },
			new String[] { "1", null, null });

	@Test
	void unchangedToastValueCannotBeReadAsText() {
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> this.tuple.text(1))
			.withMessageContaining("unchanged TOAST");
	}

	@Test
	void mapLeavesOutUnchangedToastAndKeepsNullAsNull() {
		assertThat(this.tuple.toMap(RELATION)).containsExactly(entry("id", "1"), entry("note", null));
	}

	@Test
	void mapRejectsARelationOfAnotherWidth() {
		RelationMessage narrower = new RelationMessage(1, "public", "t", ReplicaIdentity.DEFAULT,
				List.of(new Column("id", 23, -1, true)));

		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> this.tuple.toMap(narrower))
			.withMessageContaining("Tuple has 3 values but relation public.t has 1 columns");
	}

	@Test
	void showsEachKindInToString() {
		assertThat(this.tuple).hasToString("TupleData['1', <unchanged toast>, NULL]");
	}

}
