package dev.outbox.relay;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.outbox.relay.source.RelayStartupException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SourceDefinitionsUnitTests {

	@Test
	void withoutAListTheFlatSettingsAndTheDatasourceAreTheOneSource() {
		RelayProperties flat = new RelayProperties();
		flat.setSlotName("orders_slot");
		List<SourceDefinition> sources = SourceDefinitions.resolve(flat, () -> "jdbc:postgresql://db/orders", "relay",
				"secret");
		assertThat(sources).singleElement().satisfies((source) -> {
			assertThat(source.name()).isEqualTo("orders_slot");
			assertThat(source.isFlat()).isTrue();
			assertThat(source.properties()).isSameAs(flat);
			assertThat(source.connection().jdbcUrl()).isEqualTo("jdbc:postgresql://db/orders");
		});
	}

	@Test
	void aListedSourceInheritsEveryFlatSettingItDoesNotSet() {
		RelayProperties flat = new RelayProperties();
		flat.setTable("app.outbox");
		flat.setMaxInFlight(77);
		flat.setTopicTemplate("events.{aggregateType}");
		flat.getTopics().setCreate(true);
		flat.getSources().add(source("orders", "jdbc:postgresql://db/orders", "orders_slot"));
		RelayProperties.Source billing = source(null, "jdbc:postgresql://db/billing", "billing_slot");
		billing.setTable("billing.outbox");
		billing.setUsername("billing_relay");
		billing.setCreateSlot(false);
		flat.getSources().add(billing);
		List<SourceDefinition> sources = SourceDefinitions.resolve(flat, () -> {
			throw new AssertionError("spring.datasource.url is not read with a list");
		}, "relay", "secret");
		assertThat(sources).extracting(SourceDefinition::name).containsExactly("orders", "billing_slot");
		RelayProperties orders = sources.get(0).properties();
		assertThat(orders.getTable()).isEqualTo("app.outbox");
		assertThat(orders.getMaxInFlight()).isEqualTo(77);
		assertThat(orders.getTopicTemplate()).isEqualTo("events.{aggregateType}");
		assertThat(orders.getTopics().isCreate()).isTrue();
		assertThat(orders.getSlotName()).isEqualTo("orders_slot");
		assertThat(orders.isCreateSlot()).isTrue();
		assertThat(orders.getSources()).isEmpty();
		assertThat(sources.get(0).connection().username()).isEqualTo("relay");
		RelayProperties billingSettings = sources.get(1).properties();
		assertThat(billingSettings.getTable()).isEqualTo("billing.outbox");
		assertThat(billingSettings.isCreateSlot()).isFalse();
		assertThat(sources.get(1).connection().username()).isEqualTo("billing_relay");
		assertThat(sources.get(1).connection().password()).isEqualTo("secret");
		assertThat(sources.get(1).isFlat()).isFalse();
		assertThat(flat.getTable()).as("the flat settings are left alone").isEqualTo("app.outbox");
	}

	@Test
	void aSourceWithoutUrlIsAStartupErrorNamingTheProperty() {
		RelayProperties flat = new RelayProperties();
		flat.getSources().add(source("orders", "jdbc:postgresql://db/orders", "a"));
		flat.getSources().add(source("billing", null, "b"));
		assertThatThrownBy(() -> resolve(flat)).isInstanceOf(RelayStartupException.class)
			.hasMessageContaining("outbox.relay.sources[1].url is not set");
	}

	@Test
	void twoSourcesOnTheSameSlotOfOneDatabaseAreAStartupError() {
		RelayProperties flat = new RelayProperties();
		flat.getSources().add(source("orders", "jdbc:postgresql://db:5432/orders", "shared"));
		flat.getSources().add(source("orders2", "jdbc:postgresql://db:5432/orders?sslmode=require", "shared"));
		assertThatThrownBy(() -> resolve(flat)).isInstanceOf(RelayStartupException.class)
			.hasMessageContaining("outbox.relay.sources[1] and outbox.relay.sources[0] both stream slot shared")
			.hasMessageContaining("outbox.relay.sources[1].slot-name");
	}

	@Test
	void theSameSlotNameInTwoDatabasesIsAllowed() {
		RelayProperties flat = new RelayProperties();
		flat.getSources().add(source("orders", "jdbc:postgresql://db/orders", null));
		flat.getSources().add(source("billing", "jdbc:postgresql://db/billing", null));
		assertThat(resolve(flat)).extracting((source) -> source.properties().getSlotName())
			.containsExactly("outbox_relay", "outbox_relay");
	}

	@Test
	void duplicateOrInvalidNamesAreStartupErrors() {
		RelayProperties same = new RelayProperties();
		same.getSources().add(source("orders", "jdbc:postgresql://db/a", null));
		same.getSources().add(source("orders", "jdbc:postgresql://db/b", null));
		assertThatThrownBy(() -> resolve(same)).isInstanceOf(RelayStartupException.class)
			.hasMessageContaining("are both named orders")
			.hasMessageContaining("outbox.relay.sources[1].name");
		RelayProperties invalid = new RelayProperties();
		invalid.getSources().add(source("orders db", "jdbc:postgresql://db/a", null));
		assertThatThrownBy(() -> resolve(invalid)).isInstanceOf(RelayStartupException.class)
			.hasMessageContaining("outbox.relay.sources[0].name=orders db is not a valid source name");
	}

	@Test
	void aShardedEntryBecomesOneSourcePerShardWithSuffixedNamesSlotsAndPublications() {
		RelayProperties flat = new RelayProperties();
		flat.setMaxInFlight(77);
		RelayProperties.Source orders = source("orders", "jdbc:postgresql://db/orders", "orders_slot");
		orders.setPublicationName("orders_pub");
		orders.setShards(3);
		flat.getSources().add(orders);
		flat.getSources().add(source("billing", "jdbc:postgresql://db/billing", "billing_slot"));
		List<SourceDefinition> sources = resolve(flat);
		assertThat(sources).extracting(SourceDefinition::name)
			.containsExactly("orders-0", "orders-1", "orders-2", "billing");
		assertThat(sources).extracting((source) -> source.properties().getSlotName())
			.containsExactly("orders_slot_0", "orders_slot_1", "orders_slot_2", "billing_slot");
		assertThat(sources).extracting((source) -> source.properties().getPublicationName())
			.containsExactly("orders_pub_0", "orders_pub_1", "orders_pub_2", "outbox_pub");
		assertThat(sources.get(1).shard()).satisfies((shard) -> {
			assertThat(shard.index()).isEqualTo(1);
			assertThat(shard.count()).isEqualTo(3);
			assertThat(shard.slotName()).isEqualTo("orders_slot_1");
			assertThat(shard.setting()).isEqualTo("outbox.relay.sources[0].shards");
		});
		assertThat(sources.get(2).properties().getMaxInFlight()).isEqualTo(77);
		assertThat(sources.get(3).shard()).as("one shard is no sharding").isNull();
	}

	@Test
	void aShardCountBelowOneOrShardsWithAnInitialSnapshotOrAShardNameTakenAreStartupErrors() {
		RelayProperties zero = new RelayProperties();
		zero.getSources().add(source("orders", "jdbc:postgresql://db/a", null));
		zero.getSources().get(0).setShards(0);
		assertThatThrownBy(() -> resolve(zero)).isInstanceOf(RelayStartupException.class)
			.hasMessageContaining("outbox.relay.sources[0].shards=0 is not a shard count");
		RelayProperties snapshot = new RelayProperties();
		snapshot.getSources().add(source("orders", "jdbc:postgresql://db/a", null));
		snapshot.getSources().get(0).setShards(2);
		snapshot.getSources().get(0).setSnapshotMode(RelayProperties.SnapshotMode.INITIAL);
		assertThatThrownBy(() -> resolve(snapshot)).isInstanceOf(RelayStartupException.class)
			.hasMessageContaining("outbox.relay.sources[0].shards=2 and snapshot-mode=initial")
			.hasMessageContaining("outbox.relay.sources[0].snapshot-mode=never");
		RelayProperties taken = new RelayProperties();
		taken.getSources().add(source("orders", "jdbc:postgresql://db/a", "s"));
		taken.getSources().get(0).setShards(2);
		taken.getSources().add(source("orders-1", "jdbc:postgresql://db/b", "t"));
		assertThatThrownBy(() -> resolve(taken)).isInstanceOf(RelayStartupException.class)
			.hasMessageContaining("are both named orders-1");
	}

	private static List<SourceDefinition> resolve(RelayProperties flat) {
		return SourceDefinitions.resolve(flat, () -> "unused", null, null);
	}

	private static RelayProperties.Source source(String name, String url, String slot) {
		RelayProperties.Source source = new RelayProperties.Source();
		source.setName(name);
		source.setUrl(url);
		source.setSlotName(slot);
		return source;
	}

}
