package dev.outbox.relay.source;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On PostgreSQL 17 and later a primary without {@code synchronized_standby_slots} gets a warning
 * naming the setting and the fix; before 17, or with the setting, none.
 */
class FailoverSlotsUnitTests {

	@Test
	void primaryOn17WithoutSynchronizedStandbySlotsIsWarnedAboutWithTheSettingAndTheFix() {
		assertThat(FailoverSlots.warning(17, false, "", "relay_slot")).contains("synchronized_standby_slots")
			.contains("relay_slot")
			.contains("ALTER SYSTEM SET synchronized_standby_slots = '<standby physical slot>'")
			.contains("docs/failover.md");
		assertThat(FailoverSlots.warning(18, false, null, "relay_slot")).contains("PostgreSQL 18");
	}

	@Test
	void primaryWithSynchronizedStandbySlotsAServerBefore17OrAStandbyIsNotWarnedAbout() {
		assertThat(FailoverSlots.warning(17, false, "standby_1", "relay_slot")).isNull();
		assertThat(FailoverSlots.warning(16, false, "", "relay_slot")).isNull();
		assertThat(FailoverSlots.warning(15, false, null, "relay_slot")).isNull();
		assertThat(FailoverSlots.warning(17, true, "", "relay_slot")).isNull();
	}

}
