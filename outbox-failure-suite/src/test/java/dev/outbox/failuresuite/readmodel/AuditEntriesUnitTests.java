package dev.outbox.failuresuite.readmodel;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.outbox.failuresuite.readmodel.AuditEntries.Entry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit log is correct when every committed change has exactly one entry and each entity's
 * entries follow its changes' order; anything else is named: missing, duplicated, out of order.
 */
class AuditEntriesUnitTests {

	private static final Map<Long, List<Long>> COMMITTED = Map.of(1L, List.of(1L, 2L, 3L), 2L, List.of(1L, 2L));

	@Test
	void oneEntryPerChangeInEachEntitysOrderIsCorrectHoweverEntitiesInterleave() {
		AuditEntries entries = AuditEntries.examine(COMMITTED,
				List.of(new Entry(1, 1), new Entry(2, 1), new Entry(1, 2), new Entry(2, 2), new Entry(1, 3)));
		assertThat(entries).isEqualTo(new AuditEntries(0, "", 0, 0, ""));
	}

	@Test
	void aChangeWithNoEntryIsMissingAndNamed() {
		AuditEntries entries = AuditEntries.examine(COMMITTED,
				List.of(new Entry(1, 1), new Entry(1, 3), new Entry(2, 1), new Entry(2, 2)));
		assertThat(entries.missing()).isEqualTo(1);
		assertThat(entries.firstMissing()).isEqualTo("item-1 v2");
		assertThat(entries.outOfOrder()).isZero();
	}

	@Test
	void aRedeliveryAppliedAgainIsADuplicateEntryNotAReordering() {
		AuditEntries entries = AuditEntries.examine(COMMITTED, List.of(new Entry(1, 1), new Entry(1, 2), new Entry(1, 3),
				new Entry(1, 2), new Entry(1, 3), new Entry(2, 1), new Entry(2, 2)));
		assertThat(entries.duplicates()).isEqualTo(2);
		assertThat(entries.outOfOrder()).isZero();
		assertThat(entries.missing()).isZero();
	}

	@Test
	void aFirstEntryAfterALaterChangeOfItsEntityIsOutOfOrder() {
		AuditEntries entries = AuditEntries.examine(COMMITTED, List.of(new Entry(1, 1), new Entry(1, 3), new Entry(2, 2),
				new Entry(1, 2), new Entry(2, 1)));
		assertThat(entries.outOfOrder()).isEqualTo(2);
		assertThat(entries.firstOutOfOrder()).isEqualTo("item-1 v2 after item-1 v3");
		assertThat(entries.duplicates()).isZero();
		assertThat(entries.missing()).isZero();
	}

}
