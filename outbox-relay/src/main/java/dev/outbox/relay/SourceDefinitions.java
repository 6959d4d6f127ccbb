package dev.outbox.relay;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import dev.outbox.relay.source.ConnectionSettings;
import dev.outbox.relay.source.RelayStartupException;
import dev.outbox.relay.source.Shard;

/**
 * Resolves {@code outbox.relay.sources[n].*} into {@link SourceDefinition}s, or the flat
 * {@code outbox.relay.*} and {@code spring.datasource.*} into the one source when the list is
 * empty, and refuses a list the relay cannot run, naming the property and the fix: a source
 * without a URL, a name that is not a plain identifier, two sources of the same name, or two
 * sources streaming the same slot of the same database (PostgreSQL lets only one of them stream;
 * the other would stand by forever).
 * <p>
 * A list entry with {@code shards=N} (N > 1) becomes N sources, one per {@link Shard}, named
 * {@code <name>-<i>} and streaming slot {@code <slot-name>_<i>} through publication
 * {@code <publication-name>_<i>}. One entry holds the whole shard set, rather than one entry per
 * shard with its own index and count, because a shard that is left out of the configuration loses
 * events: its slot is never created, so nothing keeps its aggregates' WAL, and no relay publishes
 * them. Defined by one number, the set is complete, or not sharded at all, in every relay given
 * the list.
 */
final class SourceDefinitions {

	private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+");

	private SourceDefinitions() {
	}

	/**
	 * @param flat the bound {@code outbox.relay.*}
	 * @param datasourceUrl {@code spring.datasource.url}, read only when there is no list
	 * @param username {@code spring.datasource.username}, inherited by sources that set none
	 * @param password {@code spring.datasource.password}, inherited by sources that set none
	 * @return the sources, at least one
	 * @throws RelayStartupException when the list is invalid
	 */
	static List<SourceDefinition> resolve(RelayProperties flat, Supplier<String> datasourceUrl,
			@Nullable String username, @Nullable String password) {
		if (flat.getSources().isEmpty()) {
			return List.of(new SourceDefinition(flat.getSlotName(),
					new ConnectionSettings(datasourceUrl.get(), username, password), flat, "outbox.relay", null));
		}
		List<SourceDefinition> sources = new ArrayList<>();
		Map<String, String> names = new HashMap<>();
		Map<String, String> slots = new HashMap<>();
		for (int i = 0; i < flat.getSources().size(); i++) {
			RelayProperties.Source source = flat.getSources().get(i);
			String prefix = "outbox.relay.sources[" + i + "]";
			RelayProperties properties = flat.forSource(source);
			String url = source.getUrl();
			if (url == null || url.isBlank()) {
				throw new RelayStartupException(prefix + ".url is not set: every source names its database. Set it, "
						+ "for example " + prefix + ".url=jdbc:postgresql://host:5432/orders");
			}
			String name = (source.getName() != null) ? source.getName() : properties.getSlotName();
			if (!NAME.matcher(name).matches()) {
				throw new RelayStartupException(prefix + ".name=" + name + " is not a valid source name: it names a "
						+ "health component and a metric tag. Use letters, digits, '-' and '_' only");
			}
			ConnectionSettings connection = new ConnectionSettings(url,
					orElse(source.getUsername(), username), orElse(source.getPassword(), password));
			int shards = source.getShards();
			if (shards < 1) {
				throw new RelayStartupException(prefix + ".shards=" + shards + " is not a shard count: set it to 1 "
						+ "(not sharded, the default) or to the number of slots the outbox is sharded over");
			}
			if (shards > 1 && properties.getSnapshotMode() == RelayProperties.SnapshotMode.INITIAL) {
				throw new RelayStartupException(prefix + ".shards=" + shards + " and snapshot-mode=initial: the "
						+ "initial snapshot is not sharded. Set " + prefix + ".snapshot-mode=never, or stream the "
						+ "source unsharded for its first start");
			}
			for (int index = 0; index < shards; index++) {
				Shard shard = (shards > 1) ? new Shard(index, shards, properties.getSlotName(),
						properties.getPublicationName(), prefix + ".shards") : null;
				RelayProperties shardProperties = properties;
				String shardName = name;
				if (shard != null) {
					shardProperties = flat.forSource(source);
					shardProperties.setSlotName(shard.slotName());
					shardProperties.setPublicationName(shard.publicationName());
					shardName = name + "-" + index;
				}
				String sameName = names.putIfAbsent(shardName, prefix);
				if (sameName != null) {
					throw new RelayStartupException(prefix + " and " + sameName + " are both named " + shardName
							+ " (their .name, or their slot name when unset, with -<i> for each shard): give each "
							+ "source a distinct " + prefix + ".name");
				}
				refuseSameSlot(slots, url, shardProperties.getSlotName(), prefix);
				sources.add(new SourceDefinition(shardName, connection, shardProperties, prefix, shard));
			}
		}
		return List.copyOf(sources);
	}

	private static void refuseSameSlot(Map<String, String> slots, String url, String slotName, String prefix) {
		String sameSlot = slots.putIfAbsent(database(url) + " " + slotName, prefix);
		if (sameSlot != null) {
			throw new RelayStartupException(prefix + " and " + sameSlot + " both stream slot " + slotName + " of " + url
					+ ": only one walsender can stream a slot, so one of them would never run. Give each source of "
					+ "one database its own " + prefix + ".slot-name");
		}
	}

	private static @Nullable String orElse(@Nullable String value, @Nullable String fallback) {
		return (value != null) ? value : fallback;
	}

	/** The database a JDBC URL names, without its parameters, for comparison. */
	static String database(String url) {
		int parameters = url.indexOf('?');
		String database = (parameters >= 0) ? url.substring(0, parameters) : url;
		return database.toLowerCase(Locale.ROOT).replaceAll("/+$", "");
	}

}
