package dev.outbox.relay.source;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The shard rule: names, the filter the relay creates, and the only filters it accepts.
 */
class ShardUnitTests {

	@Test
	void shardSlotsAndPublicationsAreTheSourcesNamesSuffixedByTheIndex() {
		Shard shard = new Shard(3, 4, "orders_relay", "orders_pub", "outbox.relay.sources[0].shards");
		assertThat(shard.slotName()).isEqualTo("orders_relay_3");
		assertThat(shard.publicationName()).isEqualTo("orders_pub_3");
		assertThat(Shard.name("orders_relay", 0)).isEqualTo("orders_relay_0");
	}

	@Test
	void theFilterMasksTheSignBitSoThatEveryHashHasAShard() {
		Shard shard = new Shard(2, 4, "s", "p", "x");
		assertThat(shard.rowFilter()).isEqualTo("((hashtext(aggregate_id) & 2147483647) % 4 = 2)");
		assertThat(shard.rowFilter("h")).isEqualTo("((h & 2147483647) % 4 = 2)");
	}

	@Test
	void onlyTheDeparsedFormOfTheShardsOwnFilterIsAccepted() {
		Shard shard = new Shard(1, 4, "s", "p", "x");
		assertThat(shard.accepts("(((hashtext((aggregate_id)::text) & 2147483647) % 4) = 1)")).isTrue();
		assertThat(shard.accepts(" (((hashtext(aggregate_id) & 2147483647) % 4) = 1) ")).isTrue();
		assertThat(shard.accepts("(((hashtext((aggregate_id)::text) & 2147483647) % 4) = 2)")).isFalse();
		assertThat(shard.accepts("(((hashtext((aggregate_id)::text) & 2147483647) % 2) = 1)")).isFalse();
		assertThat(shard.accepts("((hashtext((aggregate_id)::text) & (2147483647 % 4)) = 1)")).isFalse();
		assertThat(shard.accepts("((((hashtext((aggregate_id)::text) & 2147483647) % 4) = 1) OR true)")).isFalse();
		assertThat(shard.accepts("(((hashtext((aggregate_type)::text) & 2147483647) % 4) = 1)")).isFalse();
		assertThat(Shard.parse("(((hashtext((aggregate_id)::text) & 2147483647) % 8) = 5)")).containsExactly(5, 8);
		assertThat(Shard.parse("(aggregate_type <> 'x'::text)")).isNull();
	}

	@Test
	void goingBackToOneShardIsRefusedWithTheChangedCountsReasonAndFixNamingTheSettingOrItsAbsence() {
		String changed = new Shard(0, 4, "orders_relay", "orders_pub", "outbox.relay.sources[0].shards")
			.changedCountMessage("slot orders_relay exists");
		String listed = Shard.unshardedMessage("publication orders_pub_1 (shard 1 of 2) exists", 2, "orders_relay",
				"orders_pub", "outbox.relay.sources[0].shards");
		String flat = Shard.unshardedMessage("publication orders_pub_1 (shard 1 of 2) exists", 2, "orders_relay",
				"orders_pub", null);
		String reasonAndFix = changed.substring(changed.indexOf("Changing the count"), changed.indexOf(" (and "));
		assertThat(listed).startsWith("The source streams its outbox unsharded (outbox.relay.sources[0].shards=1), "
				+ "but publication orders_pub_1 (shard 1 of 2) exists: a previous run sharded it. ")
			.contains(reasonAndFix)
			.endsWith("; or set outbox.relay.sources[0].shards back to 2");
		assertThat(flat).contains("unsharded (the flat outbox.relay.* settings, which cannot shard it)")
			.contains(reasonAndFix)
			.endsWith("; or list the source under outbox.relay.sources with shards=2");
	}

	@Test
	void aShardIsOneOfAtLeastTwo() {
		assertThatIllegalArgumentException().isThrownBy(() -> new Shard(0, 1, "s", "p", "x"));
		assertThatIllegalArgumentException().isThrownBy(() -> new Shard(2, 2, "s", "p", "x"));
		assertThatIllegalArgumentException().isThrownBy(() -> new Shard(-1, 2, "s", "p", "x"));
	}

}
