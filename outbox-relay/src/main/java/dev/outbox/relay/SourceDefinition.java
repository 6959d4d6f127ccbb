package dev.outbox.relay;

import org.jspecify.annotations.Nullable;

import dev.outbox.relay.source.ConnectionSettings;
import dev.outbox.relay.source.Shard;

/**
 * One source the relay streams, resolved from the configuration: its name (health component and
 * metric tag), where its database is, and the settings it runs with (the flat
 * {@code outbox.relay.*} overridden by its own).
 *
 * @param name the source's name
 * @param connection where its database is
 * @param properties the settings it runs with
 * @param prefix the property prefix its own settings are under, for messages
 * ({@code outbox.relay} for the single source of the flat settings)
 * @param shard the shard this source streams when its list entry is sharded (its properties then
 * name the shard's slot and publication), else {@code null}
 */
record SourceDefinition(String name, ConnectionSettings connection, RelayProperties properties, String prefix,
		@Nullable Shard shard) {

	/** @return whether this is the single source of the flat settings rather than a list entry */
	boolean isFlat() {
		return "outbox.relay".equals(this.prefix);
	}

}
