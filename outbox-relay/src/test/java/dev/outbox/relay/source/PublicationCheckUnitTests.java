package dev.outbox.relay.source;

import java.util.List;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import dev.outbox.contract.TableName;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The publication must send every outbox INSERT whole; anything else it does costs decoding only.
 */
class PublicationCheckUnitTests {

	private static final TableName TABLE = new TableName("public", "outbox_event");

	private static final List<String> ALL_COLUMNS = List.of("id", "aggregate_type", "aggregate_id", "event_type",
			"payload", "headers", "created_at");

	@Test
	void publicationAsTheRelayCreatesItPasses() {
		assertThat(check(List.of("insert"), true, null, ALL_COLUMNS).problem()).isNull();
	}

	@Test
	void otherOperationsExtraColumnsAndNoCatalogColumnsBeforePostgres15Pass() {
		List<String> more = new java.util.ArrayList<>(ALL_COLUMNS);
		more.add("tenant");
		assertThat(check(List.of("insert", "update", "delete", "truncate"), true, null, more).problem()).isNull();
		assertThat(check(List.of("insert"), true, null, null).problem()).isNull();
	}

	@Test
	void publicationWithoutInsertsIsRefusedWithTheAlterThatFixesIt() {
		assertThat(check(List.of("update", "delete"), true, null, ALL_COLUMNS).problem())
			.startsWith("Publication outbox_pub (outbox.relay.publication-name) does not publish INSERTs "
					+ "(publish = 'update, delete')")
			.contains("ALTER PUBLICATION \"outbox_pub\" SET (publish = 'insert')")
			.contains("CREATE PUBLICATION \"outbox_pub\" FOR TABLE public.outbox_event WITH (publish = 'insert')")
			.contains("Events written before the fix stay unpublished");
	}

	@Test
	void publicationWithoutTheTableIsRefusedWithTheAddTable() {
		assertThat(check(List.of("insert"), false, null, null).problem())
			.isEqualTo("Publication outbox_pub (outbox.relay.publication-name) does not include public.outbox_event. "
					+ "Add it: ALTER PUBLICATION \"outbox_pub\" ADD TABLE public.outbox_event");
	}

	@Test
	void rowFilterIsRefusedNamingItAndTheSetTableThatRemovesIt() {
		assertThat(check(List.of("insert"), true, "(aggregate_type <> 'x'::text)", ALL_COLUMNS).problem())
			.contains("has a row filter on public.outbox_event (WHERE (aggregate_type <> 'x'::text))")
			.contains("ALTER PUBLICATION \"outbox_pub\" SET TABLE public.outbox_event");
	}

	@Test
	void columnListWithoutContractColumnsIsRefusedNamingEachMissingOne() {
		assertThat(check(List.of("insert"), true, null, List.of("id", "aggregate_type", "aggregate_id", "payload",
				"created_at"))
			.problem()).contains("publishes only some columns of public.outbox_event, without [event_type, headers]")
			.contains("ALTER PUBLICATION \"outbox_pub\" SET TABLE public.outbox_event");
	}

	@Test
	void shardPublicationWithExactlyItsOwnFilterAsPostgresShowsItPasses() {
		Shard shard = new Shard(1, 2, "orders", "orders_pub", "outbox.relay.sources[0].shards");
		assertThat(shardCheck(shard, "(((hashtext((aggregate_id)::text) & 2147483647) % 2) = 1)").problem()).isNull();
		assertThat(shardCheck(shard, "(((hashtext(aggregate_id) & 2147483647) % 2) = 1)").problem())
			.as("a text column: no cast").isNull();
	}

	@Test
	void shardPublicationWithAForeignFilterOrAnotherShardsOrNoneIsRefusedWithTheSetTableThatFixesIt() {
		Shard shard = new Shard(1, 2, "orders", "orders_pub", "outbox.relay.sources[0].shards");
		String fix = "ALTER PUBLICATION \"outbox_pub\" SET TABLE public.outbox_event WHERE "
				+ "((hashtext(aggregate_id) & 2147483647) % 2 = 1)";
		assertThat(shardCheck(shard, "((abs(hashtext((aggregate_id)::text)) % 2) = 1)").problem())
			.contains("is shard 1 of 2 (outbox.relay.sources[0].shards) but has a row filter the relay does not define "
					+ "(WHERE ((abs(hashtext((aggregate_id)::text)) % 2) = 1))")
			.contains(fix);
		assertThat(shardCheck(shard, "(((hashtext((aggregate_id)::text) & 2147483647) % 2) = 0)").problem())
			.as("shard 0's filter on shard 1's publication").contains("does not define").contains(fix);
		assertThat(shardCheck(shard, null).problem()).contains("is shard 1 of 2").contains("has no row filter")
			.contains(fix);
	}

	@Test
	void shardPublicationFilteringForAnotherCountIsRefusedSayingHowToChangeTheCount() {
		Shard shard = new Shard(1, 2, "orders", "orders_pub", "outbox.relay.sources[0].shards");
		assertThat(shardCheck(shard, "(((hashtext((aggregate_id)::text) & 2147483647) % 4) = 1)").problem())
			.startsWith("The source's outbox is sharded in 2 (outbox.relay.sources[0].shards=2), but publication "
					+ "outbox_pub filters for shard 1 of 4")
			.contains("let the relays drain every old slot")
			.contains("drop the old slots (pg_drop_replication_slot) and publications (DROP PUBLICATION) named "
					+ "orders_<i> and orders_pub_<i>")
			.contains("or set outbox.relay.sources[0].shards back to the old count");
	}

	@Test
	void unshardedPublicationWithAShardFilterIsRefusedPointingAtTheShardsSetting() {
		assertThat(check(List.of("insert"), true, "(((hashtext((aggregate_id)::text) & 2147483647) % 2) = 1)",
				ALL_COLUMNS).problem()).contains("has a row filter").contains("shards=N");
	}

	private static PublicationCheck shardCheck(Shard shard, @Nullable String rowFilter) {
		return new PublicationCheck("outbox_pub", TABLE, List.of("insert"), true, rowFilter, ALL_COLUMNS, shard);
	}

	private static PublicationCheck check(List<String> publishes, boolean includesTable, @Nullable String rowFilter,
			@Nullable List<String> columns) {
		return new PublicationCheck("outbox_pub", TABLE, publishes, includesTable, rowFilter, columns, null);
	}

}
