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

/**
 * Resolves {@code outbox.relay.sources[n].*} into {@link SourceDefinition}s, or the flat
 * {@code outbox.relay.*} and {@code spring.datasource.*} into the one source when the list is
 * empty, and refuses a list the relay cannot run, naming the property and the fix: a source
 * without a URL, a name that is not a plain identifier, two sources of the same name, or two
 * sources streaming the same slot of the same database (PostgreSQL lets only one of them stream;
 * the other would stand by forever).
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
					new ConnectionSettings(datasourceUrl.get(), username, password), flat, "outbox.relay"));
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
			String sameName = names.putIfAbsent(name, prefix);
			if (sameName != null) {
				throw new RelayStartupException(prefix + " and " + sameName + " are both named " + name + " (their "
						+ ".name, or their slot name when unset): give each source a distinct " + prefix + ".name");
			}
			String slot = database(url) + " " + properties.getSlotName();
			String sameSlot = slots.putIfAbsent(slot, prefix);
			if (sameSlot != null) {
				throw new RelayStartupException(prefix + " and " + sameSlot + " both stream slot "
						+ properties.getSlotName() + " of " + url + ": only one walsender can stream a slot, so one "
						+ "of them would never run. Give each source of one database its own " + prefix
						+ ".slot-name");
			}
			ConnectionSettings connection = new ConnectionSettings(url,
					orElse(source.getUsername(), username), orElse(source.getPassword(), password));
			sources.add(new SourceDefinition(name, connection, properties, prefix));
		}
		return List.copyOf(sources);
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
