package dev.outbox.contract;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.outbox.contract.SlotHealth.Cause;
import dev.outbox.contract.SlotHealth.Level;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link SlotHealthRule}: the one decision of UP, WARNING and DOWN that the starter's {@code outbox}
 * indicator and the relay's {@code outboxRelay} indicator both apply, at each of its edges.
 */
class SlotHealthRuleUnitTests {

	private static final long WARNING = 1000;

	private static final long CRITICAL = 3000;

	@ParameterizedTest(name = "wal_status={0}, retained={1} -> {2} ({3})")
	@CsvSource(nullValues = "null", value = {
			// thresholds are inclusive
			"reserved,   0,    UP,      NONE",
			"reserved,   999,  UP,      NONE",
			"reserved,   1000, WARNING, RETAINED_WAL_WARNING",
			"reserved,   2999, WARNING, RETAINED_WAL_WARNING",
			"reserved,   3000, DOWN,    RETAINED_WAL_CRITICAL",
			"extended,   5000, DOWN,    RETAINED_WAL_CRITICAL",
			"extended,   999,  UP,      NONE",
			// unreserved: WAL the slot needs may be removed at the next checkpoint
			"unreserved, 0,    WARNING, UNRESERVED",
			"unreserved, 999,  WARNING, UNRESERVED",
			"unreserved, 1000, WARNING, UNRESERVED",
			"unreserved, 3000, DOWN,    RETAINED_WAL_CRITICAL",
			// lost: whatever the figures say
			"lost,       0,    DOWN,    LOST",
			"lost,       null, DOWN,    LOST",
			"lost,       9999, DOWN,    LOST",
			// no figure: no threshold applies, the status still does
			"reserved,   null, UP,      NONE",
			"null,       null, UP,      NONE",
			"unreserved, null, WARNING, UNRESERVED",
			"null,       1000, WARNING, RETAINED_WAL_WARNING",
			// negative (a standby replaying behind the slot's restart_lsn) counts as nothing retained
			"reserved,   -5,   UP,      NONE" })
	void levelAtEachEdge(@Nullable String walStatus, @Nullable Long retained, Level level, Cause cause) {
		SlotHealth health = SlotHealthRule.evaluate(new SlotFacts(walStatus, retained), WARNING, CRITICAL);

		assertThat(health.level()).isEqualTo(level);
		assertThat(health.cause()).isEqualTo(cause);
	}

	@Test
	void reasonNamesTheFiguresOfTheThresholdReached() {
		SlotHealth health = SlotHealthRule.evaluate(new SlotFacts("reserved", 3000L), WARNING, CRITICAL);

		assertThat(health.reason()).contains("3000").contains("critical").contains("3000 bytes");
	}

	@Test
	void upHasNoReason() {
		assertThat(SlotHealthRule.evaluate(new SlotFacts("reserved", 1L), WARNING, CRITICAL).reason()).isNull();
	}

	@Test
	void unreservedReasonSaysTheSlotIsAboutToLoseWal() {
		assertThat(SlotHealthRule.evaluate(new SlotFacts("unreserved", 1L), WARNING, CRITICAL).reason())
			.contains("unreserved")
			.contains("max_slot_wal_keep_size");
	}

	@Test
	void criticalAtOrBelowWarningIsCheckedFirst() {
		assertThat(SlotHealthRule.evaluate(new SlotFacts("reserved", 3000L), 3000, 3000).level()).isEqualTo(Level.DOWN);
		assertThat(SlotHealthRule.evaluate(new SlotFacts("reserved", 2000L), 3000, 2000).level()).isEqualTo(Level.DOWN);
	}

	@Test
	void retainedWalSqlMeasuresFromRestartLsnToTheReplayPositionOnAStandby() {
		assertThat(SlotHealthRule.RETAINED_WAL_SQL).contains("restart_lsn")
			.contains("pg_last_wal_replay_lsn()")
			.contains("pg_current_wal_lsn()")
			.contains("pg_is_in_recovery()")
			.doesNotContain("confirmed_flush_lsn");
	}


	@ParameterizedTest(name = "wal_status={0}, cause={1} -> DOWN naming {2}")
	@CsvSource(nullValues = "null", value = {
			// 15 and 16 report no cause for removed WAL: wal_status=lost is it
			"lost,     null,                   wal_removed,            max_slot_wal_keep_size",
			"lost,     wal_removed,            wal_removed,            max_slot_wal_keep_size",
			// 18 after idle_replication_slot_timeout: wal_status reads lost too
			"lost,     idle_timeout,           idle_timeout,           idle_replication_slot_timeout",
			"lost,     rows_removed,           rows_removed,           hot_standby_feedback",
			"lost,     wal_level_insufficient, wal_level_insufficient, wal_level=logical",
			// a cause reported while wal_status is not (or not yet) lost still invalidates the slot
			"reserved, conflict,               conflict,               hot_standby_feedback",
			"null,     idle_timeout,           idle_timeout,           idle_replication_slot_timeout",
			// a cause of a newer PostgreSQL
			"lost,     something_new,          other,                  invalidation_reason" })
	void invalidatedSlotIsDownAndTheReasonNamesTheCauseAndItsFix(@Nullable String walStatus, @Nullable String cause,
			String label, String fix) {
		SlotHealth health = SlotHealthRule.evaluate(new SlotFacts(walStatus, 10L, cause), WARNING, CRITICAL);

		assertThat(health.level()).isEqualTo(Level.DOWN);
		assertThat(health.cause()).isEqualTo(Cause.LOST);
		assertThat(health.reason()).contains("cause " + label).contains(fix);
	}

	@Test
	void validSlotHasNoInvalidation() {
		assertThat(new SlotFacts("reserved", 1L, null).invalidation()).isNull();
		assertThat(new SlotFacts("unreserved", 1L, " ").invalidation()).isNull();
		assertThat(new SlotFacts("reserved", 1L, null).isLost()).isFalse();
	}

	@Test
	void invalidationLabelIsTheCauseOrNoneForAValidSlot() {
		assertThat(new SlotFacts("reserved", 1L, null).invalidationLabel()).isEqualTo("none");
		assertThat(new SlotFacts("lost", null, null).invalidationLabel()).isEqualTo("wal_removed");
		assertThat(new SlotFacts("lost", null, "idle_timeout").invalidationLabel()).isEqualTo("idle_timeout");
	}

	@Test
	void invalidationSqlReadsEachVersionsColumnsThroughJsonAndCountsSixteensConflictingOnlyOnAStandbyNotLost() {
		assertThat(SlotHealthRule.INVALIDATION_SQL).contains("to_jsonb(s) ->> 'invalidation_reason'")
			.contains("(to_jsonb(s) ->> 'conflicting')::boolean AND pg_is_in_recovery() "
					+ "AND s.wal_status IS DISTINCT FROM 'lost' THEN 'conflict'")
			.contains("(to_jsonb(s) ->> 'conflicting')::boolean OR s.wal_status = 'lost' THEN 'wal_removed'");
	}

}
