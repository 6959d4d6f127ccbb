package dev.outbox.relay.source;

import org.jspecify.annotations.Nullable;

import dev.outbox.contract.TableName;

/**
 * What the source needs to know of the relay's configuration, as values: the outbox table, the
 * publication and the slot, and what it may create. The relay's configuration builds it from
 * {@code outbox.relay.*}; the setting names appear here only in the messages that tell an
 * operator which setting to fix.
 *
 * @param table the outbox table ({@code outbox.relay.table}), parsed
 * @param tableSetting the table as configured, for messages
 * @param publicationName {@code outbox.relay.publication-name}
 * @param createPublication {@code outbox.relay.create-publication}
 * @param slotName {@code outbox.relay.slot-name}
 * @param createSlot {@code outbox.relay.create-slot}
 * @param initialSnapshot whether {@code outbox.relay.snapshot-mode} is {@code initial}
 * @param failoverSlot {@code outbox.relay.failover-slot}
 * @param shardsSetting the setting that holds the source's shard count
 * ({@code outbox.relay.sources[n].shards}), for messages; {@code null} for the single source of the
 * flat settings, which has none
 * @param shard the shard of a sharded source (whose slot and publication are the shard's), or
 * {@code null}
 */
public record SourceSettings(TableName table, String tableSetting, String publicationName, boolean createPublication,
		String slotName, boolean createSlot, boolean initialSnapshot, boolean failoverSlot,
		@Nullable String shardsSetting, @Nullable Shard shard) {

	/**
	 * The same settings for one shard: its slot, its publication.
	 * @param shard the shard
	 * @return the shard's settings
	 */
	public SourceSettings forShard(Shard shard) {
		return new SourceSettings(this.table, this.tableSetting, shard.publicationName(), this.createPublication,
				shard.slotName(), this.createSlot, this.initialSnapshot, this.failoverSlot, shard.setting(), shard);
	}

	/**
	 * Parses the table setting, failing with a startup error naming it.
	 * @param table {@code outbox.relay.table}
	 * @param publicationName {@code outbox.relay.publication-name}
	 * @param createPublication {@code outbox.relay.create-publication}
	 * @param slotName {@code outbox.relay.slot-name}
	 * @param createSlot {@code outbox.relay.create-slot}
	 * @param initialSnapshot whether {@code outbox.relay.snapshot-mode} is {@code initial}
	 * @param failoverSlot {@code outbox.relay.failover-slot}
	 * @param shardsSetting {@code outbox.relay.sources[n].shards} for a source of the list, {@code null}
	 * for the single source of the flat settings
	 * @return the settings
	 * @throws RelayStartupException when the table name is not valid
	 */
	public static SourceSettings of(String table, String publicationName, boolean createPublication, String slotName,
			boolean createSlot, boolean initialSnapshot, boolean failoverSlot, @Nullable String shardsSetting) {
		try {
			return new SourceSettings(TableName.parse(table, "outbox.relay.table"), table, publicationName,
					createPublication, slotName, createSlot, initialSnapshot, failoverSlot, shardsSetting, null);
		}
		catch (IllegalArgumentException ex) {
			throw new RelayStartupException(ex.getMessage(), ex);
		}
	}

}
