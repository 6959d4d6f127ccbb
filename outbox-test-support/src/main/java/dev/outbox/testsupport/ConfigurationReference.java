package dev.outbox.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps the configuration reference ({@code docs/configuration.md}) in step with the configuration
 * metadata that Spring Boot's processor generates from the {@code @ConfigurationProperties} Javadoc.
 */
public final class ConfigurationReference {

	private static final Pattern NAME = Pattern.compile("\"name\"\\s*:\\s*\"([^\"]+)\"");

	private ConfigurationReference() {
	}

	/**
	 * Returns the property names of a generated {@code spring-configuration-metadata.json}.
	 * @param metadata the file
	 * @return the names of its {@code properties} section, in file order
	 */
	public static List<String> propertyNames(Path metadata) {
		String json = read(metadata);
		int start = json.indexOf("\"properties\"");
		if (start < 0) {
			throw new IllegalStateException(metadata + " has no properties section");
		}
		int end = json.indexOf("\"hints\"", start);
		Matcher matcher = NAME.matcher(json.substring(start, (end > 0) ? end : json.length()));
		List<String> names = new ArrayList<>();
		while (matcher.find()) {
			names.add(matcher.group(1));
		}
		return names;
	}

	/**
	 * Returns the properties of the metadata that a reference page does not document as a table
	 * row starting with {@code | `name` |}.
	 * @param metadata the generated metadata
	 * @param reference the Markdown page holding the property tables
	 * @return the undocumented property names
	 */
	public static List<String> undocumented(Path metadata, Path reference) {
		String text = read(reference);
		return propertyNames(metadata).stream().filter((name) -> !text.contains("| `" + name + "` |")).toList();
	}

	private static String read(Path file) {
		try {
			return Files.readString(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + file.toAbsolutePath(), ex);
		}
	}

}
