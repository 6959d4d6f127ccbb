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
	void aShardIsOneOfAtLeastTwo() {
		assertThatIllegalArgumentException().isThrownBy(() -> new Shard(0, 1, "s", "p", "x"));
		assertThatIllegalArgumentException().isThrownBy(() -> new Shard(2, 2, "s", "p", "x"));
		assertThatIllegalArgumentException().isThrownBy(() -> new Shard(-1, 2, "s", "p", "x"));
	}

}
