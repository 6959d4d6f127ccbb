package dev.outbox.starter.contract;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The likely renames between an earlier and a new version of one object: a property only
 * the earlier version declares and a property only the new one declares, with identical
 * schemas, where neither has another such candidate. Anything less certain (two new
 * properties of the same type, say) is no rename, and the change is reported as the plain
 * removal or addition it also is.
 */
final class Renames {

	private final Map<String, String> partners = new LinkedHashMap<>();

	Renames(SchemaShape earlier, SchemaShape newer) {
		List<String> removed = earlier.properties().keySet().stream()
			.filter((name) -> !newer.properties().containsKey(name)).toList();
		List<String> added = newer.properties().keySet().stream()
			.filter((name) -> !earlier.properties().containsKey(name)).toList();
		for (String from : removed) {
			JsonNode schema = earlier.properties().get(from);
			List<String> to = added.stream().filter((name) -> newer.properties().get(name).equals(schema)).toList();
			if (to.size() == 1 && removed.stream()
				.filter((name) -> earlier.properties().get(name).equals(schema)).count() == 1) {
				this.partners.put(from, to.get(0));
				this.partners.put(to.get(0), from);
			}
		}
	}

	/** The other name of a renamed property, or {@code null} if it was not renamed. */
	@Nullable String partnerOf(String name) {
		return this.partners.get(name);
	}

}
