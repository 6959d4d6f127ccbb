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

}
